#!/usr/bin/env bash
# Digest benchmark: a synthetic organisation (5,000 people, 500 teams, 20,000 key results with a year of weekly
# check-ins, a year of biweekly pulses: about 1.3 million responses), then the full weekly digest generation —
# every team's digest built and rendered one at a time, and the leaders' roll-up — timed in a Release build.
#   scripts/bench/digest.sh        generate once, measure 3 times (each a fresh process), print the medians
#   scripts/bench/digest.sh N      measure N times
# Each measurement prints the EXPLAIN (ANALYZE, BUFFERS) of the heaviest queries and a line
#   digest: teams=500 total_s=... p50_ms=... p95_ms=... rss_mb=...
# and the last line is that line with the medians of all measurements.
# The database is a throwaway cluster with normal durability (fsync on), as in production.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

runs="${1:-3}"
case "$runs" in ''|*[!0-9]*|0) echo "digest.sh: the number of measurements must be a positive integer" >&2; exit 64 ;; esac

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55435; }

work="$(mktemp -d "${TMPDIR:-/tmp}/alignmentbot-bench.XXXXXX")"
chmod 755 "$work"
export ALIGNMENTBOT_PG_PORT="${ALIGNMENTBOT_BENCH_PG_PORT:-$(free_port)}"
export ALIGNMENTBOT_PG_DATA="$work/pgdata"
export ALIGNMENTBOT_PG_DB=postgres
unset ALIGNMENTBOT_PG_FAST
cleanup() {
  scripts/db.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building (Release)..."
dotnet build tests/AlignmentBot.Bench/AlignmentBot.Bench.csproj -c Release --nologo -v q -clp:ErrorsOnly
scripts/db.sh start
export ALIGNMENTBOT_BENCH_POSTGRES="$(scripts/db.sh url)"
bench=(dotnet tests/AlignmentBot.Bench/bin/Release/net10.0/AlignmentBot.Bench.dll)

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

median() { printf '%s\n' "${lines[@]}" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
echo "--- medians of $runs measurements:"
printf '%s\n' "${lines[@]}"
echo "digest: teams=$(median teams) total_s=$(median total_s) p50_ms=$(median p50_ms) p95_ms=$(median p95_ms) rss_mb=$(median rss_mb)"
