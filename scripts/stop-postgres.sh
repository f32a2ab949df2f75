#!/usr/bin/env bash
# Stops a server started by start-postgres.sh and removes its directory. Safe to run twice.
#
#   bash scripts/stop-postgres.sh "$PGDIR"
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: stop-postgres.sh DIR" >&2
  exit 2
fi
dir=$1

[ -e "$dir" ] || exit 0

# Refuse anything that does not look like a scratch server's directory: this script runs rm -rf.
if [ ! -f "$dir/pg-bin-dir" ] && [ ! -d "$dir/data" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "stop-postgres: $dir does not look like a directory made by start-postgres.sh; not removing it" >&2
  exit 1
fi

pid_file="$dir/data/postmaster.pid"
if [ -f "$pid_file" ]; then
  pg_bin_dir=$(cat "$dir/pg-bin-dir" 2>/dev/null || true)
  if [ -n "$pg_bin_dir" ] && [ -x "$pg_bin_dir/pg_ctl" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u postgres -- "$pg_bin_dir/pg_ctl" -D "$dir/data" stop -m immediate -w >/dev/null 2>&1 || true
    else
      "$pg_bin_dir/pg_ctl" -D "$dir/data" stop -m immediate -w >/dev/null 2>&1 || true
    fi
  fi
  # Without pg_ctl (or if it failed), SIGQUIT is what `-m immediate` sends; wait for the exit so
  # the port is free when this script returns.
  pid=$(head -n 1 "$pid_file" 2>/dev/null || true)
  # A stale pid file may name a recycled pid: only signal a process that is a postgres server.
  if [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = postgres ]; then
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "stop-postgres: server process $pid did not exit" >&2
      exit 1
    fi
  fi
fi

rm -rf "$dir"
