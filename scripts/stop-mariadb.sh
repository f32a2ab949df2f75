#!/usr/bin/env bash
# Stops a server started by start-mariadb.sh and removes its directory. Safe to run twice.
#
#   bash scripts/stop-mariadb.sh "$MYDIR"
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: stop-mariadb.sh DIR" >&2
  exit 2
fi
dir=$1

[ -e "$dir" ] || exit 0

# Refuse anything that does not look like a scratch server's directory: this script runs rm -rf.
if [ ! -f "$dir/mariadb.pid" ] && [ ! -d "$dir/data" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "stop-mariadb: $dir does not look like a directory made by start-mariadb.sh; not removing it" >&2
  exit 1
fi

# The server outlives the script that started it, so its parent is init, which may be slow to
# reap it: an exited server can linger as a zombie, which `kill -0` would still find.
running() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ]
}

# Waits up to $2 tenths of a second for process $1 to exit.
exited_within() {
  for _ in $(seq 1 "$2"); do
    running "$1" || return 0
    sleep 0.1
  done
  ! running "$1"
}

pid=$(head -n 1 "$dir/mariadb.pid" 2>/dev/null || true)
# A stale pid file may name a recycled pid: only signal a process that is a MariaDB server.
if [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = mariadbd ]; then
  # SIGTERM is a normal shutdown, done in milliseconds here; SIGKILL only if it hangs. Waiting
  # for the exit means the port is free when this script returns.
  kill -TERM "$pid" 2>/dev/null || true
  if ! exited_within "$pid" 100; then
    kill -KILL "$pid" 2>/dev/null || true
    if ! exited_within "$pid" 50; then
      echo "stop-mariadb: server process $pid did not exit" >&2
      exit 1
    fi
  fi
fi

rm -rf "$dir"
