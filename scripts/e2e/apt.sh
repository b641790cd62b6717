#!/usr/bin/env bash
# Installs Debian packages (apt-get update once per call), as root or through sudo.
# Usage: bash scripts/e2e/apt.sh <package>...
set -euo pipefail
SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Another apt run (an install of the same machine in parallel) holds the lock: wait for it.
LOCK_WAIT=(-o DPkg::Lock::Timeout=600)
$SUDO apt-get "${LOCK_WAIT[@]}" update -qq
$SUDO apt-get "${LOCK_WAIT[@]}" install -y -qq "$@" >/dev/null
