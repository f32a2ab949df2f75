#!/usr/bin/env bash
# The main job: a scratch PostgreSQL, a service account, and `sluice start` in front of it.
# Prints a connection string for psql; Ctrl-C stops the gateway and removes the scratch server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

eval "$(bash scripts/start-postgres.sh)"
trap 'bash scripts/stop-postgres.sh "$PGDIR" >/dev/null 2>&1 || true' EXIT

export PGPORT PGAPPPASSWORD
export SLUICE_JOURNAL="$PGDIR/sluice.db"
export SLUICE_PORT="${SLUICE_PORT:-6432}"
config=docs/examples/quickstart.yaml
sluice() { node apps/cli/dist/main.js "$@"; }

sluice check --config "$config"
secret=$(sluice agents add demo-agent --group ci --config "$config" --json | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).secret))')

cat <<MSG

Sluice is starting on 127.0.0.1:$SLUICE_PORT in front of a scratch PostgreSQL (port $PGPORT).
Connect as the service account "demo-agent":

  psql "postgres://demo-agent:$secret@127.0.0.1:$SLUICE_PORT/app"

Then read the journal:   node apps/cli/dist/main.js audit tail --journal $SLUICE_JOURNAL
Ctrl-C stops everything.

MSG
sluice start --config "$config"
