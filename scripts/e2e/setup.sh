#!/usr/bin/env bash
# Everything the end-to-end tests need beyond `npm ci`: the built package, a real n8n 2.41.1
# with its Node.js 24 (in .n8n-e2e/, cached), Debian's Chromium, Debian's ffmpeg (the demo's
# playable videos), and PostgreSQL and Redis for the queue-mode test. Safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

npm run build
bash scripts/e2e/install-n8n.sh
bash scripts/e2e/install-chromium.sh
bash scripts/e2e/install-ffmpeg.sh
bash scripts/e2e/install-queue-services.sh
