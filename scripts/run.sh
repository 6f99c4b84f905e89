#!/usr/bin/env bash
# Runs the bot locally: starts the project's PostgreSQL (scripts/db.sh), then the bot in Development
# on http://127.0.0.1:3978 (ALIGNMENTBOT_URLS to change it); the bot applies migrations as it starts.
# Talk to it with the Microsoft 365 Agents Playground (see README). Extra arguments go to the bot.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/db.sh" start
export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-$("$root/scripts/db.sh" url)}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="$ASPNETCORE_ENVIRONMENT"

if [ "${ALIGNMENTBOT_SKIP_BUILD:-0}" != 1 ]; then
  dotnet build bot/AlignmentBot.Bot.csproj --nologo -v quiet -clp:NoSummary
fi

echo "AlignmentBot on ${ALIGNMENTBOT_URLS:-http://127.0.0.1:3978} (Ctrl+C stops it)"
exec dotnet bot/bin/Debug/net10.0/AlignmentBot.Bot.dll --urls "${ALIGNMENTBOT_URLS:-http://127.0.0.1:3978}" "$@"
