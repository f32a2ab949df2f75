#!/usr/bin/env bash
# Installs the toolchain and dependencies and builds every package. Sourced by the other scripts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PNPM_VERSION=12.4.2
# better-sqlite3 compiles from source; node-gyp must use the installed Node headers, not download them.
export npm_config_nodedir=${npm_config_nodedir:-/usr}

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

pnpm install --frozen-lockfile >&2
pnpm build >&2
