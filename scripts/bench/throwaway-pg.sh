# Sourced by the benchmarks (scripts/bench/*.sh) from the repository root: builds the bench in Release, starts a
# throwaway PostgreSQL cluster with normal durability (fsync on, as in production) on a free port, exports
# ALIGNMENTBOT_BENCH_POSTGRES, and removes the cluster on exit. Leaves $work, a scratch directory, to the caller.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo "$1"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/alignmentbot-bench.XXXXXX")"
chmod 755 "$work"
export ALIGNMENTBOT_PG_PORT="${ALIGNMENTBOT_BENCH_PG_PORT:-$(free_port 55434)}"
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

# The median of a numeric field (name=value) over the lines given on stdin.
median() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
