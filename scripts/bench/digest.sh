#!/usr/bin/env bash
# Digest benchmark: a synthetic organisation (5,000 people, 500 teams, 20,000 key results with a year of weekly
# check-ins, a year of biweekly pulses: about 1.3 million responses), then the full weekly digest generation —
# every team's digest built and rendered with the concurrency the delivery dispatcher gives one tenant's rows, and the
# leaders' roll-up — timed in a Release build.
#   scripts/bench/digest.sh        generate once, measure 3 times (each a fresh process), print the medians
#   scripts/bench/digest.sh N      measure N times
# Each measurement prints the EXPLAIN (ANALYZE, BUFFERS) of the heaviest queries and a line
#   digest: teams=500 concurrency=... total_s=... p50_ms=... p95_ms=... rss_mb=... cpu_s=... pg_cpu_s=...
# (total_s: every team's digest and the roll-up; p50/p95: one team's digest, waiting for a core included;
# cpu_s / pg_cpu_s: the CPU seconds the bench process / the PostgreSQL server spent on them, which unlike total_s
# hardly depend on what else the machine is doing: on 2 idle cores, total_s >= (cpu_s + pg_cpu_s) / 2)
# and the last line is that line with the medians of all measurements.
# The database is a throwaway cluster with normal durability (fsync on), as in production.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

runs="${1:-3}"
case "$runs" in ''|*[!0-9]*|0) echo "digest.sh: the number of measurements must be a positive integer" >&2; exit 64 ;; esac

source scripts/bench/throwaway-pg.sh

echo "generating the organisation..."
started=$(date +%s)
"${bench[@]}" digest-generate
echo "generated in $(( $(date +%s) - started )) s"

lines=()
for i in $(seq 1 "$runs"); do
  echo "--- measurement $i of $runs"
  out="$work/run.out"
  "${bench[@]}" digest | tee "$out"
  lines+=("$(grep '^digest: teams=' "$out" | tail -n 1)")
done

m() { printf '%s\n' "${lines[@]}" | median "$1"; }
echo "--- medians of $runs measurements:"
printf '%s\n' "${lines[@]}"
echo "digest: teams=$(m teams) concurrency=$(m concurrency) total_s=$(m total_s) p50_ms=$(m p50_ms) p95_ms=$(m p95_ms) rss_mb=$(m rss_mb) cpu_s=$(m cpu_s) pg_cpu_s=$(m pg_cpu_s)"
