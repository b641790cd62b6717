#!/usr/bin/env bash
# `npm run test:all`, the README's test command: the unit and engine tests (`npm test`) while the
# end-to-end tests' installs run beside them (the installs wait on the network, the tests mostly
# on timers, so together they take little longer than the installs alone), then the end-to-end
# tests. The installs' lines go to .tmp/logs/setup.log, shown when they end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .tmp/logs
log=.tmp/logs/setup.log

bash scripts/e2e/setup.sh --installs-only >"$log" 2>&1 &
installs=$!
tests=0
npm test || tests=$?
if ! wait "$installs"; then
	cat "$log"
	echo "The end-to-end tests' installs failed (above)." >&2
	exit 1
fi
cat "$log"
((tests == 0)) || exit "$tests"
npm run test:e2e
