#!/usr/bin/env bash
# Everything the end-to-end tests need beyond `npm ci`: the built package, the real n8n versions
# they run on with their Node.js 24 (2.41.1 in .n8n-e2e/, 1.123.81 in .n8n-e2e-1.123/, both
# cached; see scripts/lib/n8nVersions.js), Debian's Chromium, Debian's ffmpeg (the demo's
# playable videos), and PostgreSQL and Redis for the queue-mode test. Safe to run again.
# One line per step (scripts/e2e/steps.sh); the installers' output goes to .tmp/logs/.
# Usage: bash scripts/e2e/setup.sh [--installs-only]   (--installs-only: no build; see testAll.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=steps.sh
source scripts/e2e/steps.sh

# One setup at a time on a machine: a second one (the test command's, while CI's runs) waits for
# the first, then finds everything installed.
mkdir -p .tmp
exec 9>.tmp/setup.lock
flock 9

if [[ "${1:-}" != --installs-only ]]; then
	run_step build "Building the package" bash -c 'npm run build && echo built'
fi

# The installs wait on the network far more than on the CPU, so three lanes run at once: each
# n8n version (npm's cache takes parallel installs), and Debian's packages (apt holds one lock,
# so its steps go one after another).
export STEPS_PARALLEL=1
run_step install-n8n-2.x "n8n 2.x (about 6 minutes the first time)" bash scripts/e2e/install-n8n.sh 2.x &
n8n2=$!
run_step install-n8n-1.x "n8n 1.x (about 6 minutes the first time)" bash scripts/e2e/install-n8n.sh 1.x &
n8n1=$!
(
	run_step install-chromium "Chromium (the editor tests)" bash scripts/e2e/install-chromium.sh
	run_step install-ffmpeg "ffmpeg (playable videos)" bash scripts/e2e/install-ffmpeg.sh
	run_step install-queue-services "PostgreSQL and Redis (the queue-mode test)" bash scripts/e2e/install-queue-services.sh
) &
apt=$!
status=0
for lane in "$n8n2" "$n8n1" "$apt"; do wait "$lane" || status=$?; done
exit "$status"
