#!/usr/bin/env bash
# The main job: `sluice demo`. An embedded PostgreSQL (PGlite) with a small shop in it, Sluice in
# front of it with an example policy, and a scripted agent whose every step is printed; then the
# gateway keeps running with a psql connection string printed, until Ctrl-C.
# Arguments go to `sluice demo`: --once (exit after the transcript), --port N, --dir DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

exec node apps/cli/dist/main.js demo "$@"
