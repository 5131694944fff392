#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the live store's tests (Debian's server package):
#
#   tests/pg_server.sh start DIR   # initdb in DIR, start it on a Unix socket in DIR, print the SQLAlchemy URL
#   tests/pg_server.sh stop DIR    # stop it and remove DIR
#
# It listens on no TCP address (listen_addresses=''), only on a socket inside DIR, with trust
# authentication for its one superuser `postgres`: nothing outside this machine can reach it, and
# only the owner of DIR (and root) can open the socket. Run as root, the server runs as the
# `postgres` user (PostgreSQL refuses to run as root); otherwise it runs as the calling user.
# PGPORT (default 54329) only names the socket file, so two clusters in two DIRs never collide.
# PG_FSYNC (default off: a throwaway test cluster need not survive a power cut) sets fsync; use
# PG_FSYNC=on to measure commit latency as a real server would have it.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$bin" ]]; then
  echo "error: no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi
port="${PGPORT:-54329}"
fsync="${PG_FSYNC:-off}"

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -p $port -c listen_addresses='' -c fsync=$fsync -c max_connections=100" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres live_test
    echo "postgresql+psycopg://postgres@/live_test?host=$dir&port=$port"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
