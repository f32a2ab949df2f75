#!/usr/bin/env bash
# Starts a throw-away MariaDB for tests and demos, with a mysql_native_password app user.
#
#   eval "$(bash scripts/start-mariadb.sh [--dir DIR] [--port PORT])"
#   ...
#   bash scripts/stop-mariadb.sh "$MYDIR"
#
# stdout carries only shell-sourceable MY* lines; progress and errors go to stderr.
set -euo pipefail

usage() {
  echo "usage: start-mariadb.sh [--dir DIR] [--port PORT]" >&2
  exit 2
}

dir=''
port=''
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || usage; port=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "start-mariadb: unknown argument '$1'" >&2; usage ;;
  esac
done
if [ -n "$port" ] && ! [[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]]; then
  echo "start-mariadb: --port must be a number from 1 to 65535, got '$port'" >&2
  exit 2
fi

readonly SUPERUSER=root
readonly DATABASE=app
readonly APP_USER=sluice_native
readonly APP_PASSWORD=sluice-test-pw
readonly SERVER_USER=mysql
readonly READY_TIMEOUT_SECONDS=30
# Small rather than tuned: a 100 MiB redo log would dominate the directory.
readonly INNODB_SIZES=(--innodb-buffer-pool-size=32M --innodb-log-file-size=8M)
# Fast rather than durable; 64M lets tests send packets past the 16 MiB frame limit.
readonly SERVER_SETTINGS=(
  "${INNODB_SIZES[@]}"
  --innodb-flush-log-at-trx-commit=0
  --skip-log-bin
  --skip-name-resolve
  --max-allowed-packet=64M
  --character-set-server=utf8mb4
)

log() { echo "start-mariadb: $*" >&2; }

# The clients read these; an inherited one would send root's socket logins elsewhere.
unset MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT MYSQL_PWD

# mariadbd lives in /usr/sbin, which is not on every user's PATH.
find_program() {
  command -v "$1" 2>/dev/null && return
  local prefix
  for prefix in /usr/sbin /usr/bin; do
    if [ -x "$prefix/$1" ]; then echo "$prefix/$1"; return; fi
  done
  return 1
}

free_port() {
  node -e 'const s = require("node:net").createServer();
s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });'
}

created_dir=false
server_pid=''
succeeded=false

# On any failure: one line saying why, the end of the server log, and no server left behind.
fail() {
  log "$*"
  if [ -n "$dir" ] && [ -s "$dir/mariadb.log" ]; then
    echo "--- last lines of $dir/mariadb.log ---" >&2
    tail -n 15 "$dir/mariadb.log" >&2
  fi
  exit 1
}

# SIGTERM is a normal shutdown (milliseconds on a scratch server); SIGKILL only if it hangs.
stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$server_pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  sleep 0.2
}

cleanup() {
  [ "$succeeded" = true ] && return
  if [ -n "$server_pid" ]; then stop_server; fi
  if [ "$created_dir" = true ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
# Interrupted: exit through the EXIT trap so no half-made server is left running.
trap 'exit 130' INT TERM HUP
trap 'fail "failed at line $LINENO: $BASH_COMMAND"' ERR

missing=''
MARIADBD=$(find_program mariadbd) || missing+=' mariadbd'
INSTALL_DB=$(find_program mariadb-install-db) || missing+=' mariadb-install-db'
MARIADB_ADMIN=$(find_program mariadb-admin) || missing+=' mariadb-admin'
MARIADB=$(find_program mariadb) || missing+=' mariadb'
[ -z "$missing" ] || fail "MariaDB is not installed (missing:$missing); install it with: apt-get install -y mariadb-server"

# The server refuses to run as root unless told which user to become; that user owns the files.
server_user_args=()
if [ "$(id -u)" -eq 0 ]; then
  id -u "$SERVER_USER" >/dev/null 2>&1 ||
    fail "running as root needs a '$SERVER_USER' user for the server; install mariadb-server"
  server_user_args=(--user="$SERVER_USER")
fi

if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/sluice-my.XXXXXX")
  created_dir=true
elif [ ! -e "$dir" ]; then
  mkdir -p "$dir"
  created_dir=true
elif [ -n "$(ls -A "$dir")" ]; then
  fail "$dir is not empty; give an empty or new directory"
fi
dir=$(cd "$dir" && pwd -P)
# Unix socket paths are limited to 107 bytes; the server also makes "sock.lock" beside "sock".
[ "${#dir}" -le 90 ] || fail "$dir is too long for a unix socket path; use a shorter --dir"

# root may log in over the socket in here until its password is set: keep others out.
chmod 700 "$dir"
if [ "$(id -u)" -eq 0 ]; then
  chown -R "$SERVER_USER" "$dir"
  runuser -u "$SERVER_USER" -- test -w "$dir" ||
    fail "user $SERVER_USER cannot write $dir (is a parent directory closed to it?)"
fi

# --no-defaults keeps the system's my.cnf (and its datadir, socket and port) out of this server.
# On a heavily loaded machine the bootstrap now and then fails half-way (ERROR 1051 on one of
# its own tables); a fresh data directory then succeeds, so it gets up to three tries.
for install_attempt in 1 2 3; do
  log "mariadb-install-db in $dir/data (attempt $install_attempt)"
  if "$INSTALL_DB" --no-defaults "${server_user_args[@]}" --datadir="$dir/data" \
    --auth-root-authentication-method=normal --skip-test-db "${INNODB_SIZES[@]}" >"$dir/install.log" 2>&1; then
    break
  fi
  [ "$install_attempt" -lt 3 ] ||
    fail "mariadb-install-db failed: $(grep -m 1 ERROR "$dir/install.log" || tail -n 1 "$dir/install.log")"
  rm -rf "$dir/data"
done

# Waits until the server answers on its socket; fails fast when it exits instead.
wait_until_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    # ping succeeds as soon as the server answers, even before any login would.
    if "$MARIADB_ADMIN" --no-defaults --socket="$dir/sock" --user="$SUPERUSER" --connect-timeout=2 \
      ping >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.05
  done
  fail "the server did not answer within $READY_TIMEOUT_SECONDS seconds"
}

# A port picked by the kernel can be taken again before the server binds it; then pick another.
attempts=1
[ -n "$port" ] || attempts=5
ready=false
for attempt in $(seq 1 "$attempts"); do
  chosen_port=${port:-$(free_port)}
  # Each attempt gets a fresh log so a bind error is not mistaken for a later attempt's.
  rm -f "$dir/mariadb.log"
  log "starting the server on 127.0.0.1:$chosen_port (attempt $attempt)"
  # setsid: like pg_ctl, the server outlives this script and ignores the caller's terminal.
  setsid "$MARIADBD" --no-defaults "${server_user_args[@]}" --datadir="$dir/data" \
    --port="$chosen_port" --bind-address=127.0.0.1 --socket="$dir/sock" \
    --pid-file="$dir/mariadb.pid" --log-error="$dir/mariadb.log" "${SERVER_SETTINGS[@]}" \
    </dev/null >/dev/null 2>&1 &
  server_pid=$!
  if wait_until_ready; then
    ready=true
    break
  fi
  server_pid=''
  grep -q 'Address already in use' "$dir/mariadb.log" 2>/dev/null || fail "the server did not start"
  [ -z "$port" ] || fail "port $port is already in use"
done
[ "$ready" = true ] || fail "the server did not start: every port tried was taken"
port=$chosen_port

superuser_sql() {
  "$MARIADB" --no-defaults --socket="$dir/sock" --user="$SUPERUSER" --batch --skip-column-names "$@"
}

log "creating database $DATABASE and user $APP_USER"
superuser_sql <<SQL >/dev/null || fail "creating the app user failed"
CREATE DATABASE $DATABASE CHARACTER SET utf8mb4;
CREATE USER $APP_USER@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('$APP_PASSWORD');
GRANT ALL ON $DATABASE.* TO $APP_USER@'%';
SQL

# mariadb-install-db also makes passwordless root@<hostname> and root@::1; only the two kept
# below get a password, so drop the rest.
other_roots=$(superuser_sql -e "SELECT GROUP_CONCAT(CONCAT(QUOTE(User), '@', QUOTE(Host)))
  FROM mysql.global_priv WHERE User = '$SUPERUSER' AND Host NOT IN ('localhost', '127.0.0.1')") ||
  fail "listing root accounts failed"
if [ -n "$other_roots" ] && [ "$other_roots" != NULL ]; then
  superuser_sql -e "DROP USER $other_roots" || fail "dropping extra root accounts failed"
fi

log "setting the root password"
superuser_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
# Last, because root needs the password over the socket from here on.
superuser_sql <<SQL || fail "setting the root password failed"
CREATE USER IF NOT EXISTS $SUPERUSER@'127.0.0.1';
GRANT ALL ON *.* TO $SUPERUSER@'127.0.0.1' WITH GRANT OPTION;
ALTER USER $SUPERUSER@'127.0.0.1' IDENTIFIED BY '$superuser_password';
ALTER USER $SUPERUSER@localhost IDENTIFIED BY '$superuser_password';
SQL

succeeded=true
log "ready on 127.0.0.1:$port"
cat <<ENV
MYHOST=127.0.0.1
MYPORT=$port
MYDIR=$dir
MYSUPERUSER=$SUPERUSER
MYSUPERPASSWORD=$superuser_password
MYDATABASE=$DATABASE
MYAPPUSER=$APP_USER
MYAPPPASSWORD=$APP_PASSWORD
ENV
