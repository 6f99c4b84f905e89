#!/usr/bin/env bash
# Runs every test of the solution against a throwaway PostgreSQL cluster, then removes it.
# Ends with the line "N passed, N failed" (", N skipped" when any were) and exits with the tests' status.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Health").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55433; }

work="$(mktemp -d "${TMPDIR:-/tmp}/alignmentbot-test.XXXXXX")"
chmod 755 "$work" # the postgres user must reach the data directory inside
results="$work/results"
export ALIGNMENTBOT_PG_PORT="${ALIGNMENTBOT_TEST_PG_PORT:-$(free_port)}"
export ALIGNMENTBOT_PG_DATA="$work/pgdata"
export ALIGNMENTBOT_PG_DB=postgres
export ALIGNMENTBOT_PG_FAST=1

cleanup() {
  scripts/db.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

scripts/db.sh start
export ALIGNMENTBOT_TEST_POSTGRES="$(scripts/db.sh url)"

[ -x scripts/test-clients.sh ] && scripts/test-clients.sh

set +e
dotnet test AlignmentBot.sln --nologo --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?
set -e

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed) + $(get error) + $(get timeout)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi # the build or the run itself failed

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$status"
