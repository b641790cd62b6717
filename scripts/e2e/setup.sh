#!/usr/bin/env bash
# Everything the end-to-end tests need beyond `npm ci`: the built package, the real n8n versions
# they run on with their Node.js 24 (2.41.1 in .n8n-e2e/, 1.123.81 in .n8n-e2e-1.123/, both
# cached; see scripts/lib/n8nVersions.js), Debian's Chromium, Debian's ffmpeg (the demo's
# playable videos), and PostgreSQL and Redis for the queue-mode test. Safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

npm run build
bash scripts/e2e/install-n8n.sh 2.x
bash scripts/e2e/install-n8n.sh 1.x
bash scripts/e2e/install-chromium.sh
bash scripts/e2e/install-ffmpeg.sh
bash scripts/e2e/install-queue-services.sh
