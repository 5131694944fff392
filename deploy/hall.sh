#!/usr/bin/env bash
# Serve a lecture hall: N app processes behind nginx (Debian package) on one port, sticky sessions.
#
#   deploy/hall.sh start [N] [PORT] [LISTEN]   # default: 2 processes, port 8500, all interfaces (0.0.0.0)
#   deploy/hall.sh status
#   deploy/hall.sh stop
#
# The app processes listen on 127.0.0.1:8601..(8600+N); only nginx faces the network. Logs and pid
# files go to deploy/run/. Needs the project's .venv (the README's first command creates it).
# The processes inherit the environment, so they all open the same live-class store (the SQLite file in
# CONDITIONAL_OFFER_DATA_DIR, default data/; or CONDITIONAL_OFFER_DB_URL): a class has one tally, whichever
# process each phone reaches (benchmarks/classroom_live.py --url ... checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="$PWD/deploy/run"
PY="${HALL_PYTHON:-$PWD/.venv/bin/python}"  # HALL_PYTHON: another interpreter (a shared venv, say)
# glibc's malloc arenas, capped (as in the Dockerfile): with one arena per rerun thread the processes'
# memory kept creeping up in a 20-minute soak (benchmarks/classroom_load.py --memory-every 60).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

start() {
  local n="${1:-2}" port="${2:-8500}" listen="${3:-0.0.0.0}"
  if [ -f "$RUN/nginx.pid" ]; then echo "already running (deploy/hall.sh stop first)" >&2; exit 1; fi
  if ! command -v nginx >/dev/null 2>&1; then
    echo "installing nginx (Debian package)..." >&2
    apt-get install -y -qq nginx >/dev/null
  fi
  [ -x "$PY" ] || { echo "error: no .venv; run the README's first set-up command" >&2; exit 2; }
  mkdir -p "$RUN"
  local upstreams=""
  for i in $(seq 1 "$n"); do
    local p=$((8600 + i))
    "$PY" -m streamlit run ui/app.py --server.address 127.0.0.1 --server.port "$p" --server.headless true \
      > "$RUN/app-$p.log" 2>&1 &
    echo $! > "$RUN/app-$p.pid"
    upstreams+="        server 127.0.0.1:$p max_fails=0;"$'\n'
  done
  sed -e "s|@PORT@|$port|" -e "s|@LISTEN@|$listen|" -e "s|@RUN@|$RUN|g" deploy/nginx.conf.template \
    | awk -v ups="$upstreams" '{ if ($0 == "@UPSTREAMS@") printf "%s", ups; else print }' > "$RUN/nginx.conf"
  for i in $(seq 1 "$n"); do
    local p=$((8600 + i)) ok=""
    for _ in $(seq 1 120); do
      if curl -fs "http://127.0.0.1:$p/_stcore/health" >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.5
    done
    [ -n "$ok" ] || { echo "error: app process on port $p did not start; see $RUN/app-$p.log" >&2; stop; exit 1; }
  done
  nginx -c "$RUN/nginx.conf" -p "$RUN"
  echo "serving $n app process(es) at http://$listen:$port (pids: $(cat "$RUN"/app-*.pid | tr '\n' ' '))"
}

stop() {
  if [ -f "$RUN/nginx.pid" ]; then nginx -c "$RUN/nginx.conf" -p "$RUN" -s quit 2>/dev/null || true; fi
  for f in "$RUN"/app-*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  for _ in $(seq 1 20); do [ -f "$RUN/nginx.pid" ] || break; sleep 0.25; done
  rm -f "$RUN/nginx.pid"
  echo "stopped"
}

status() {
  if [ -f "$RUN/nginx.pid" ]; then echo "nginx: pid $(cat "$RUN/nginx.pid")"; else echo "nginx: not running"; fi
  for f in "$RUN"/app-*.pid; do [ -f "$f" ] && echo "app $(basename "$f" .pid): pid $(cat "$f")"; done
  return 0
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  pids) cat "$RUN"/app-*.pid 2>/dev/null | paste -sd, ;;
  *) echo "usage: deploy/hall.sh start [N] [PORT] [LISTEN] | status | stop | pids" >&2; exit 2 ;;
esac
