#!/usr/bin/env bash
# Fan-out benchmark of the delivery engine: real bot processes drain the outbox into fake Teams
# connectors that enforce Teams' limits (50 req/s per tenant, per-conversation windows, 429 +
# Retry-After) with 20 ms latency. Every recipient has no 1:1 chat yet: each message is a create + a send.
#   scripts/bench/fanout.sh            A once, B three times (medians), B2 once
#   scripts/bench/fanout.sh A|B|B2     one scenario alone (smoke: a quick run, used by CI)
# A: one tenant, 5,000 people. B: 10 tenants x 2,000 people. B2: B with two bot processes on one database.
# Ends with one line per run: fanout <S> instances=<n>: rate=... ratio=... throttled=... duplicates=... lost=... p50_ms=... p99_ms=... rss_mb=...
# The database is a throwaway cluster with normal durability (fsync on), as in production.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(A B B B B2)
for s in "${scenarios[@]}"; do
  case "$s" in A|B|B2|smoke) ;; *) echo "fanout.sh: unknown scenario '$s' (A, B, B2 or smoke)" >&2; exit 64 ;; esac
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55434; }

work="$(mktemp -d "${TMPDIR:-/tmp}/alignmentbot-bench.XXXXXX")"
chmod 755 "$work"
export ALIGNMENTBOT_PG_PORT="${ALIGNMENTBOT_BENCH_PG_PORT:-$(free_port)}"
export ALIGNMENTBOT_PG_DATA="$work/pgdata"
export ALIGNMENTBOT_PG_DB=postgres
cleanup() {
  scripts/db.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building (Release)..."
dotnet build tests/AlignmentBot.Bench/AlignmentBot.Bench.csproj -c Release --nologo -v q -clp:ErrorsOnly
scripts/db.sh start
export ALIGNMENTBOT_BENCH_POSTGRES="$(scripts/db.sh url)"

lines=()
status=0
for s in "${scenarios[@]}"; do
  out="$work/run.out"
  if ! dotnet tests/AlignmentBot.Bench/bin/Release/net10.0/AlignmentBot.Bench.dll fanout "$s" | tee "$out"; then status=1; fi
  line="$(grep '^fanout .* instances=' "$out" | tail -n 1 || true)"
  [ -n "$line" ] && lines+=("$line")
done

# Medians of the B runs, field by field.
b_runs="$(printf '%s\n' "${lines[@]}" | grep '^fanout B instances=' || true)"
if [ "$(printf '%s' "$b_runs" | grep -c . || true)" -ge 2 ]; then
  median() { printf '%s\n' "$b_runs" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
  echo "fanout B median of $(printf '%s\n' "$b_runs" | wc -l) runs: rate=$(median rate) ratio=$(median ratio) throttled=$(median throttled) duplicates=$(median duplicates) lost=$(median lost) p50_ms=$(median p50_ms) p99_ms=$(median p99_ms) rss_mb=$(median rss_mb)"
fi
printf '%s\n' "${lines[@]}"
exit "$status"
