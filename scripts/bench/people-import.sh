#!/usr/bin/env bash
# The people file's checks (unknown people and teams, zones, the manager-loop walk) on 12,500, 25,000 and 50,000 rows
# (Release, no database). Linear time shows as a flat us_per_row. Lines: people-import: rows=... median_ms=... us_per_row=...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dotnet build tests/AlignmentBot.Bench/AlignmentBot.Bench.csproj -c Release --nologo -v q -clp:ErrorsOnly
dotnet tests/AlignmentBot.Bench/bin/Release/net10.0/AlignmentBot.Bench.dll people-import
