#!/usr/bin/env bash
# Runs every check: install, build, lint, all tests. Ends with "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

pnpm lint
# The browser checks (the web console, the HTML report) need Debian's chromium.
bash scripts/ensure-chromium.sh
# The scale-out checks put Debian's haproxy in front of two gateways.
bash scripts/ensure-haproxy.sh

mkdir -p test-results
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?
node scripts/summarize-tests.mjs test-results/vitest.json
exit "$status"
