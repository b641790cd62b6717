#!/usr/bin/env bash
# Everything the end-to-end tests need beyond `npm ci`: the built package, the real n8n versions
# they run on with their Node.js 24 (2.41.1 in .n8n-e2e/, 1.123.81 in .n8n-e2e-1.123/, both
# cached; see scripts/lib/n8nVersions.js), Debian's Chromium, Debian's ffmpeg (the demo's
# playable videos), and PostgreSQL and Redis for the queue-mode test. Safe to run again.
# One line per step (scripts/e2e/steps.sh); the installers' output goes to .tmp/logs/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=steps.sh
source scripts/e2e/steps.sh

run_step build "Building the package" bash -c 'npm run build && echo built'
run_step install-n8n-2.x "n8n 2.x (about 6 minutes the first time)" bash scripts/e2e/install-n8n.sh 2.x
run_step install-n8n-1.x "n8n 1.x (about 6 minutes the first time)" bash scripts/e2e/install-n8n.sh 1.x
run_step install-chromium "Chromium (the editor tests)" bash scripts/e2e/install-chromium.sh
run_step install-ffmpeg "ffmpeg (playable videos)" bash scripts/e2e/install-ffmpeg.sh
run_step install-queue-services "PostgreSQL and Redis (the queue-mode test)" bash scripts/e2e/install-queue-services.sh
