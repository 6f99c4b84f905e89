#!/usr/bin/env bash
# The pacing rules compared on a simulated clock (no processes, no database, about two minutes): one tenant's
# 4,000 requests against a counting Teams, with arrival delays from four models of the path to Teams (jitter
# only, quiet, busy, loaded host). One line per model, latency and rule:
#   pacing <model> latency_ms=<m> <rule>: ratio=... ratio_to_last_request=... throttled=... allowance_ms=...
# (ratio: the ideal 80 s over the time to the last answer; ratio_to_last_request: to the last arrival at Teams.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
echo "building (Release)..."
dotnet build tests/AlignmentBot.Bench/AlignmentBot.Bench.csproj -c Release --nologo -v q -clp:ErrorsOnly
dotnet tests/AlignmentBot.Bench/bin/Release/net10.0/AlignmentBot.Bench.dll pacing
