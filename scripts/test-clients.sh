#!/usr/bin/env bash
# Installs the real offline clients the tests drive: the npm packages pinned in
# tests/clients/package-lock.json (adaptivecards, the Teams manifest validator, the Agents
# Playground, playwright-core, @slack/bolt, @slack/types, typescript) and Debian's Chromium for the
# browser tests. Also the Teams tab's @microsoft/teams-js (bot/Web/Tab/client/package-lock.json), which the bot's
# build embeds and serves itself. Idempotent.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="$root/tests/clients"

if [ -f "$clients/package-lock.json" ]; then
  if [ ! -d "$clients/node_modules" ] || [ "$clients/package-lock.json" -nt "$clients/node_modules/.package-lock.json" ]; then
    (cd "$clients" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# The Teams tab's library: the bot's build embeds its bundle (bot/AlignmentBot.Bot.csproj), so build after this.
tab="$root/bot/Web/Tab/client"
if [ ! -d "$tab/node_modules" ] || [ "$tab/package-lock.json" -nt "$tab/node_modules/.package-lock.json" ]; then
  (cd "$tab" && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-clients.sh: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test-clients.sh: chromium is not installed (apt-get install chromium); the browser tests will fail" >&2
  fi
fi
