#!/usr/bin/env bash
# The inbound token check on its own (Release): per request, for tokens never seen before (signature, issuer,
# audience, lifetime, endorsement, serviceUrl) and for a token the connector sends again. No database.
# Last line: token: new_us=... new_alloc_b=... repeated_us=... repeated_alloc_b=...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dotnet build tests/AlignmentBot.Bench/AlignmentBot.Bench.csproj -c Release --nologo -v q -clp:ErrorsOnly
dotnet tests/AlignmentBot.Bench/bin/Release/net10.0/AlignmentBot.Bench.dll token
