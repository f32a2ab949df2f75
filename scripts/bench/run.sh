#!/usr/bin/env bash
# `pnpm bench`: puts the benchmark tools in place, builds Sluice if it is not built, and runs
# scripts/bench/bench.mjs. Settings come from the environment:
#   BENCH_SECONDS (10)  BENCH_REPEATS (3)  BENCH_ONLY=pgbench,connect,stream,mysql,journal
#   BENCH_CONTENDERS=direct,sluice-users,sluice-store,sluice-2gw (all by default); see bench.mjs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

log() { echo "bench: $*" >&2; }
only=",${BENCH_ONLY:-pgbench,connect,stream,mysql,journal},"
wants() { [[ "$only" == *",$1,"* ]]; }
selected=${BENCH_CONTENDERS:-all}
contenders=",${selected// /},"
runs() { [ "$contenders" = ",all," ] || [[ "$contenders" == *",$1,"* ]]; }
# The store contenders need PostgreSQL (their store) and sluice-2gw HAProxy, in every suite.
scale_out=false
if (wants pgbench || wants connect || wants mysql) && (runs sluice-store || runs sluice-2gw); then
  scale_out=true
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "installing packages needs root: run as root or install them yourself: ${*: -2}"
    exit 1
  fi
}

# Debian packages the selected suites need and do not find.
packages=()
if wants pgbench || wants connect || wants stream || $scale_out; then
  [ -x /usr/lib/postgresql/15/bin/pgbench ] || packages+=(postgresql-15)
fi
if wants pgbench || wants connect; then
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || packages+=(pgbouncer)
fi
if wants mysql; then
  command -v sysbench >/dev/null 2>&1 || packages+=(sysbench)
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || packages+=(mariadb-server)
fi
if [ ${#packages[@]} -gt 0 ]; then
  log "installing ${packages[*]}"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
fi
if $scale_out && runs sluice-2gw && ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  as_root bash scripts/ensure-haproxy.sh
fi
# PgBouncer and HAProxy live in /usr/sbin, which is not on every user's PATH.
export PATH="$PATH:/usr/sbin"

# Build only when something is missing: a full setup reinstalls dependencies.
for built in apps/cli/dist/main.js packages/journal/dist/index.js packages/sql/dist/index.js; do
  if [ ! -f "$built" ]; then
    log "$built is missing; building Sluice"
    bash scripts/setup.sh
    break
  fi
done

exec node scripts/bench/bench.mjs
