#!/usr/bin/env bash
# Fan-out benchmark of the delivery engine: real bot processes drain the outbox into fake Teams
# connectors that enforce Teams' limits (50 req/s per tenant, per-conversation windows, 429 +
# Retry-After) and answer like Teams: a latency drawn per call (median m, p99 3m, 0.5 % of calls
# 3-6 x the p99, arrival at Teams' front door within min(m/10, 25 ms) of sending). Every recipient has
# no 1:1 chat yet: each message is a create + a send.
#   scripts/bench/fanout.sh                 A, B and B2, each at 20, 250 and 600 ms
#   scripts/bench/fanout.sh B 250           B at a median of 250 ms (several scenarios/latencies may be given)
#   scripts/bench/fanout.sh A|B|B2          one scenario at 20, 250 and 600 ms
#   scripts/bench/fanout.sh smoke           a quick run at 20 ms (CI)
#   scripts/bench/fanout.sh S               one Slack workspace, 2,000 people, through the fake Slack Web API with Slack's
#                                           limits (1 msg/s per channel, a workspace budget of 50 msg/s, 429 beyond)
#   scripts/bench/fanout.sh M               10,000 tenants x 3 people through one instance (250 ms unless given);
#                                           prints the instance's workers, threads and RSS idle, busy and idle again
# A: one tenant, 5,000 people. B: 10 tenants x 2,000 people. B2: B with two bot processes on one database.
# FANOUT_REPEAT=n runs each combination n times and prints the medians; FANOUT_5XX=0.01 answers 1 % of calls 503;
# FANOUT_SETTINGS="Delivery__Pacing=Sent" passes settings to the bot (named in each line).
# Ends with one line per run: fanout <S> instances=<n> latency_ms=<m>: rate=... ratio=... throttled=... duplicates=...
# lost=... p50_ms=... p99_ms=... rss_mb=... connections=... server_errors=...
# The database is a throwaway cluster with normal durability (fsync on), as in production.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

scenarios=()
latencies=()
for a in "$@"; do
  case "$a" in
    A|B|B2|M|S|smoke) scenarios+=("$a") ;;
    *[!0-9]*|'') echo "fanout.sh: unknown argument '$a' (A, B, B2, M, S, smoke, or a median latency in ms)" >&2; exit 64 ;;
    *) latencies+=("$a") ;;
  esac
done
[ ${#scenarios[@]} -eq 0 ] && scenarios=(A B B2)
repeat="${FANOUT_REPEAT:-1}"
errors="${FANOUT_5XX:-0}"

runs=()
for s in "${scenarios[@]}"; do
  ls=("${latencies[@]}")
  if [ ${#ls[@]} -eq 0 ]; then
    case "$s" in smoke) ls=(20) ;; M) ls=(250) ;; S) ls=(0) ;; *) ls=(20 250 600) ;; esac
  fi
  for l in "${ls[@]}"; do
    for _ in $(seq "$repeat"); do runs+=("$s $l"); done
  done
done

source scripts/bench/throwaway-pg.sh

lines=()
status=0
for run in "${runs[@]}"; do
  read -r s l <<<"$run"
  out="$work/run.out"
  if ! "${bench[@]}" fanout "$s" "$l" "$errors" | tee "$out"; then status=1; fi
  line="$(grep '^fanout .* instances=' "$out" | tail -n 1 || true)"
  [ -n "$line" ] && lines+=("$line")
done

# Medians of repeated combinations, field by field.
if [ "$repeat" -ge 2 ]; then
  printf '%s\n' "${lines[@]}" | sed 's/:.*//' | sort -u | while read -r key; do
    group="$(printf '%s\n' "${lines[@]}" | grep -F "$key:" || true)"
    m() { printf '%s\n' "$group" | median "$1"; }
    echo "$key median of $(printf '%s\n' "$group" | wc -l) runs: rate=$(m rate) ratio=$(m ratio) throttled=$(m throttled) duplicates=$(m duplicates) lost=$(m lost) p50_ms=$(m p50_ms) p99_ms=$(m p99_ms) rss_mb=$(m rss_mb) connections=$(m connections)"
  done
fi
printf '%s\n' "${lines[@]}"
exit "$status"
