#!/usr/bin/env bash
# Debian's Chromium for the editor tests (playwright-core drives it; no browser download).
# Idempotent: does nothing when /usr/bin/chromium is there.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
	echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
	exit 0
fi
bash "$(dirname "${BASH_SOURCE[0]}")/apt.sh" chromium
echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
