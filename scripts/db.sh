#!/usr/bin/env bash
# A project-local PostgreSQL cluster for development and tests — never the system cluster.
#   scripts/db.sh start|stop|status|url
# Settings (environment): ALIGNMENTBOT_PG_PORT (default 55432), ALIGNMENTBOT_PG_DATA (default
# /tmp/alignmentbot-pg-<port>), ALIGNMENTBOT_PG_DB (default alignmentbot), ALIGNMENTBOT_PG_FAST=1
# (no fsync: for throwaway test clusters only).
# Listens on 127.0.0.1 only, with trust authentication: it is a local development database.
set -euo pipefail

port="${ALIGNMENTBOT_PG_PORT:-55432}"
data="${ALIGNMENTBOT_PG_DATA:-${TMPDIR:-/tmp}/alignmentbot-pg-$port}"
db="${ALIGNMENTBOT_PG_DB:-alignmentbot}"
log="$data/server.log"

die() { echo "db.sh: $*" >&2; exit 1; }

pg_bin() {
  local tool="$1" dir
  if command -v "$tool" >/dev/null 2>&1; then command -v "$tool"; return; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/$tool" ] && { echo "$dir/$tool"; return; }
  done
  return 1
}

ensure_binaries() {
  if ! pg_bin pg_ctl >/dev/null || ! pg_bin initdb >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "db.sh: PostgreSQL binaries not found; installing the postgresql package" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    pg_bin pg_ctl >/dev/null || die "PostgreSQL 15+ server binaries (initdb, pg_ctl) are not installed"
  fi
}

# PostgreSQL refuses to run as root: as root, run the server as the 'postgres' user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() { [ -f "$data/PG_VERSION" ] && as_owner "$(pg_bin pg_ctl)" -D "$data" status >/dev/null 2>&1; }

url() { echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$db"; }

psql_local() {
  if command -v psql >/dev/null 2>&1; then
    psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
  else
    as_owner "$(pg_bin psql)" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
  fi
}

start() {
  ensure_binaries
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    as_owner "$(pg_bin initdb)" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! is_running; then
    local durability=""
    [ "${ALIGNMENTBOT_PG_FAST:-0}" = 1 ] && durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    # The socket lives in the data directory so no system directory is needed.
    as_owner "$(pg_bin pg_ctl)" -D "$data" -l "$log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c max_connections=200 $durability" \
      start >/dev/null || { tail -n 20 "$log" >&2 || true; die "could not start PostgreSQL on port $port"; }
  fi
  if [ "$(psql_local -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_local -d postgres -c "CREATE DATABASE \"$db\""
  fi
  echo "PostgreSQL running on 127.0.0.1:$port (data $data), database $db"
}

stop() {
  if is_running; then
    as_owner "$(pg_bin pg_ctl)" -D "$data" -m fast -w stop >/dev/null
    echo "PostgreSQL on port $port stopped"
  else
    echo "PostgreSQL on port $port is not running"
  fi
}

status() {
  if is_running; then echo "running on 127.0.0.1:$port (data $data)"; else echo "stopped (data $data)"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *) echo "usage: scripts/db.sh start|stop|status|url" >&2; exit 2 ;;
esac
