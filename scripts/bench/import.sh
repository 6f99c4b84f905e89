#!/usr/bin/env bash
# The OKR import's validation (Release) on worst-case files — a line of sight and a dependency chain as long as the
# file, open ("chain") and closed into loops ("loops") — doubling the rows up to the row cap. No database.
# One line per size: import: shape=... rows=... median_ms=... vs_half=... (≈2 per doubling is linear, ≈4 quadratic).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dotnet build tests/AlignmentBot.Bench/AlignmentBot.Bench.csproj -c Release --nologo -v q -clp:ErrorsOnly
dotnet tests/AlignmentBot.Bench/bin/Release/net10.0/AlignmentBot.Bench.dll import
