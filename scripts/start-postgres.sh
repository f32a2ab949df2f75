#!/usr/bin/env bash
# Starts a throw-away PostgreSQL for tests and demos, with one role per upstream auth method.
#
#   eval "$(bash scripts/start-postgres.sh [--dir DIR] [--port PORT])"
#   ...
#   bash scripts/stop-postgres.sh "$PGDIR"
#
# stdout carries only shell-sourceable PG* lines; progress and errors go to stderr.
set -euo pipefail

usage() {
  echo "usage: start-postgres.sh [--dir DIR] [--port PORT]" >&2
  exit 2
}

dir=''
port=''
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || usage; port=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "start-postgres: unknown argument '$1'" >&2; usage ;;
  esac
done
if [ -n "$port" ] && ! [[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]]; then
  echo "start-postgres: --port must be a number from 1 to 65535, got '$port'" >&2
  exit 2
fi

readonly SUPERUSER=postgres
readonly DATABASE=app
readonly ROLE_PASSWORD=sluice-test-pw

log() { echo "start-postgres: $*" >&2; }

# PG_BIN_DIR: an explicit setting wins, then PostgreSQL 15 (what the project is tested with),
# then the newest Debian-style install, then whatever pg_config reports.
find_pg_bin_dir() {
  if [ -n "${PG_BIN_DIR:-}" ] && [ -x "$PG_BIN_DIR/initdb" ]; then echo "$PG_BIN_DIR"; return; fi
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then echo /usr/lib/postgresql/15/bin; return; fi
  local version
  for version in $(ls -1 /usr/lib/postgresql 2>/dev/null | sort -rV); do
    if [ -x "/usr/lib/postgresql/$version/bin/initdb" ]; then
      echo "/usr/lib/postgresql/$version/bin"
      return
    fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    local bindir
    bindir=$(pg_config --bindir)
    if [ -x "$bindir/initdb" ]; then echo "$bindir"; return; fi
  fi
  return 1
}

# The server refuses to run as root, so root hands the directory and the server to `postgres`.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s = require("node:net").createServer();
s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });'
}

created_dir=false
server_started=false
succeeded=false

# On any failure: one line saying why, the end of the server log, and no server left behind.
fail() {
  log "$*"
  if [ -n "$dir" ] && [ -s "$dir/postgres.log" ]; then
    echo "--- last lines of $dir/postgres.log ---" >&2
    tail -n 15 "$dir/postgres.log" >&2
  fi
  exit 1
}

cleanup() {
  [ "$succeeded" = true ] && return
  if [ "$server_started" = true ]; then
    as_server_user "$PG_BIN_DIR/pg_ctl" -D "$dir/data" stop -m immediate -w >/dev/null 2>&1 || true
  fi
  if [ "$created_dir" = true ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
# Interrupted: exit through the EXIT trap so no half-made server is left running.
trap 'exit 130' INT TERM HUP
trap 'fail "failed at line $LINENO: $BASH_COMMAND"' ERR

PG_BIN_DIR=$(find_pg_bin_dir) || fail "no PostgreSQL binaries found (set PG_BIN_DIR or install postgresql)"
export PG_BIN_DIR

if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/sluice-pg.XXXXXX")
  created_dir=true
elif [ ! -e "$dir" ]; then
  mkdir -p "$dir"
  created_dir=true
elif [ -n "$(ls -A "$dir")" ]; then
  fail "$dir is not empty; give an empty or new directory"
fi
dir=$(cd "$dir" && pwd -P)
# Unix socket paths are limited to 107 bytes; ".s.PGSQL.65535" needs 15 of them.
[ "${#dir}" -le 90 ] || fail "$dir is too long for a unix socket path; use a shorter --dir"

# The superuser may log in over the socket in here without a password: keep others out.
chmod 700 "$dir"
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres "$dir"
  runuser -u postgres -- test -w "$dir" ||
    fail "user postgres cannot write $dir (is a parent directory closed to it?)"
fi

superuser_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
pwfile="$dir/superuser.pw"
(umask 077 && printf '%s\n' "$superuser_password" >"$pwfile")
[ "$(id -u)" -ne 0 ] || chown postgres "$pwfile"

log "initdb in $dir/data"
as_server_user "$PG_BIN_DIR/initdb" -D "$dir/data" -U "$SUPERUSER" -A scram-sha-256 --pwfile="$pwfile" \
  --no-sync --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  fail "initdb failed: $(tail -n 1 "$dir/initdb.log")"
rm -f "$pwfile"

# First match wins: role-specific lines must precede the catch-all.
cat >"$dir/data/pg_hba.conf" <<HBA
# TYPE  DATABASE  USER          ADDRESS        METHOD
local   all       all                          trust
host    all       sluice_scram  127.0.0.1/32   scram-sha-256
host    all       sluice_md5    127.0.0.1/32   md5
host    all       sluice_clear  127.0.0.1/32   password
host    all       sluice_trust  127.0.0.1/32   trust
host    all       all           127.0.0.1/32   scram-sha-256
HBA

# Settings live in an included file (rewritten per attempt) so a plain `pg_ctl restart` keeps them.
echo "include 'sluice-scratch.conf'" >>"$dir/data/postgresql.conf"
write_settings() {
  cat >"$dir/data/sluice-scratch.conf" <<CONF
port = $1
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
# Lets tests see which authentication method a login really used.
log_connections = on
CONF
  [ "$(id -u)" -ne 0 ] || chown -R postgres "$dir"
}

# A port picked by the kernel can be taken again before the server binds it; then pick another.
attempts=1
[ -n "$port" ] || attempts=5
for attempt in $(seq 1 "$attempts"); do
  chosen_port=${port:-$(free_port)}
  write_settings "$chosen_port"
  log "starting the server on 127.0.0.1:$chosen_port (attempt $attempt)"
  if as_server_user "$PG_BIN_DIR/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start >/dev/null 2>&1; then
    server_started=true
    break
  fi
  grep -q 'could not bind' "$dir/postgres.log" 2>/dev/null || fail "the server did not start"
  [ -z "$port" ] || fail "port $port is already in use"
done
[ "$server_started" = true ] || fail "the server did not start: every port tried was taken"
port=$chosen_port

superuser_sql() {
  "$PG_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$SUPERUSER" -d "$1" >/dev/null
}

log "creating database $DATABASE and roles"
superuser_sql postgres <<SQL || fail "creating roles failed"
CREATE ROLE sluice_scram LOGIN PASSWORD '$ROLE_PASSWORD';
CREATE ROLE sluice_clear LOGIN PASSWORD '$ROLE_PASSWORD';
CREATE ROLE sluice_trust LOGIN;
-- md5 authentication silently needs an md5-stored password; a SCRAM verifier would not match it.
SET password_encryption = 'md5';
CREATE ROLE sluice_md5 LOGIN PASSWORD '$ROLE_PASSWORD';
RESET password_encryption;
CREATE DATABASE $DATABASE OWNER sluice_scram;
GRANT ALL ON DATABASE $DATABASE TO sluice_md5, sluice_clear, sluice_trust;
SQL

# Tables made by the superuser (test fixtures) or by sluice_scram are usable by every test role.
superuser_sql "$DATABASE" <<SQL || fail "granting schema privileges failed"
GRANT ALL ON SCHEMA public TO sluice_scram, sluice_md5, sluice_clear, sluice_trust;
ALTER DEFAULT PRIVILEGES FOR ROLE $SUPERUSER, sluice_scram IN SCHEMA public
  GRANT ALL ON TABLES TO sluice_scram, sluice_md5, sluice_clear, sluice_trust;
ALTER DEFAULT PRIVILEGES FOR ROLE $SUPERUSER, sluice_scram IN SCHEMA public
  GRANT ALL ON SEQUENCES TO sluice_scram, sluice_md5, sluice_clear, sluice_trust;
SQL

# stop-postgres.sh reads this to use the same pg_ctl.
echo "$PG_BIN_DIR" >"$dir/pg-bin-dir"

succeeded=true
log "ready on 127.0.0.1:$port"
cat <<ENV
PGHOST=127.0.0.1
PGPORT=$port
PGDIR=$dir
PGSUPERUSER=$SUPERUSER
PGSUPERPASSWORD=$superuser_password
PGDATABASE=$DATABASE
PGAPPPASSWORD=$ROLE_PASSWORD
ENV
