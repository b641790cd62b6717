#!/usr/bin/env bash
# Debian's Chromium for the editor tests (playwright-core drives it; no browser download).
# Idempotent: does nothing when /usr/bin/chromium is there.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
	echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
	exit 0
fi
SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
