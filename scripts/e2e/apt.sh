#!/usr/bin/env bash
# Installs Debian packages (apt-get update once per call), as root or through sudo.
# Usage: bash scripts/e2e/apt.sh <package>...
set -euo pipefail
SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "$@" >/dev/null
