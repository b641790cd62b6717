#!/usr/bin/env bash
# PostgreSQL and Redis from Debian's packages, for the queue-mode end-to-end test (n8n main,
# worker and webhook processor share them). Idempotent; nothing is started here: the test starts
# its own throwaway instances on loopback.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && command -v redis-server >/dev/null; then
	echo "postgresql and redis already installed"
	exit 0
fi
bash "$(dirname "${BASH_SOURCE[0]}")/apt.sh" postgresql redis-server
echo "postgresql and redis installed"
