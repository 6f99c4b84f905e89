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

source scripts/bench/throwaway-pg.sh

lines=()
status=0
for s in "${scenarios[@]}"; do
  out="$work/run.out"
  if ! "${bench[@]}" fanout "$s" | tee "$out"; then status=1; fi
  line="$(grep '^fanout .* instances=' "$out" | tail -n 1 || true)"
  [ -n "$line" ] && lines+=("$line")
done

# Medians of the B runs, field by field.
b_runs="$(printf '%s\n' "${lines[@]}" | grep '^fanout B instances=' || true)"
if [ "$(printf '%s' "$b_runs" | grep -c . || true)" -ge 2 ]; then
  b() { printf '%s\n' "$b_runs" | median "$1"; }
  echo "fanout B median of $(printf '%s\n' "$b_runs" | wc -l) runs: rate=$(b rate) ratio=$(b ratio) throttled=$(b throttled) duplicates=$(b duplicates) lost=$(b lost) p50_ms=$(b p50_ms) p99_ms=$(b p99_ms) rss_mb=$(b rss_mb)"
fi
printf '%s\n' "${lines[@]}"
exit "$status"
