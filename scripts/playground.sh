#!/usr/bin/env bash
# Starts the Microsoft 365 Agents Playground (offline, telemetry off) against the local bot:
# open http://127.0.0.1:56150 and chat. Run scripts/run.sh first.
#   ALIGNMENTBOT_ENDPOINT (default http://127.0.0.1:3978/api/messages), PLAYGROUND_PORT (default 56150)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/test-clients.sh"
cd "$root/tests/clients"
exec node playground.cjs serve \
  --endpoint "${ALIGNMENTBOT_ENDPOINT:-http://127.0.0.1:3978/api/messages}" \
  --port "${PLAYGROUND_PORT:-56150}"
