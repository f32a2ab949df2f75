#!/usr/bin/env bash
# Installs Debian's haproxy for the scale-out checks and the two-gateway bench when it is missing; idempotent.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then exit 0; fi
echo "ensure-haproxy: installing Debian's haproxy" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update >&2
apt-get install -y haproxy >&2
