#!/usr/bin/env bash
# The demo router: dpdk-testpmd forwarding between two tap ports, with paced traffic
# into the first tap on a schedule, repeating: idle, a clean rate, a lossy rate.
# testpmd runs the "noisy" forwarding mode (memory lookups per packet, like a VNF
# doing work), so it takes roughly 30-60 kpps here and the lossy rate really loses
# packets at the tap. Needs root (taps, raw socket) and /dev/net/tun; prints the
# router's pid and runs until killed (it stops testpmd and the sender on exit, and
# removes the DPDK runtime folder only when it created it). When testpmd alone is
# killed, it is started again with the same command line (and its new pid printed):
# a restart of the router, for sessions that follow it.
#
#   demo-router.sh LOGDIR [PREFIX] [SCHEDULE] [TAP_IN] [TAP_OUT]
#
# PREFIX and the tap names must be this instance's own (start.sh puts its pid in them):
# a second DPDK process on the same prefix cannot take the lock, and clean-up of one
# would remove the other's telemetry socket.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=stop-all.sh
source "$here/stop-all.sh"
logs="${1:?usage: demo-router.sh LOGDIR [PREFIX] [SCHEDULE] [TAP_IN] [TAP_OUT]}"
prefix="${2:-vnf-lens-demo-$$}"
schedule="${3:-0:15,10000:15,60000:10}"
in="${4:-vnfd$$i}"
out="${5:-vnfd$$o}"
mkdir -p "$logs"
for t in "$in" "$out"; do
  if [ -e "/sys/class/net/$t" ]; then echo "demo router: an interface named $t already exists; pick other tap names" >&2; exit 1; fi
done
runtime="/var/run/dpdk/$prefix"
if [ -e "$runtime" ] && [ -n "$(fuser "$runtime/config" 2>/dev/null || true)" ]; then
  echo "demo router: the DPDK prefix $prefix is in use by another process; pick another prefix" >&2; exit 1
fi
created_runtime=1
[ -e "$runtime" ] && created_runtime=0
pids=()
cleanup() {
  stopping=1
  trap - EXIT INT TERM
  # testpmd stops its ports on SIGTERM, which takes about a second here: KILL after 0.8 s,
  # so that Ctrl-C of npm start ends the router within 2 s.
  stop_all 0.8 "${pids[@]}"
  [ "$created_runtime" = 1 ] && rm -rf "$runtime"
  exit 0
}
trap cleanup EXIT INT TERM

stopping=0
# The same command line every time: a VNF Lens session following the router takes the
# restarted process as its next revision.
start_router() {
  dpdk-testpmd -l 0,1 --no-huge -m 512 --no-pci --vdev="net_tap0,iface=$in" --vdev="net_tap1,iface=$out" --file-prefix="$prefix" \
    -- --forward-mode=noisy --noisy-lkup-memory=64 --noisy-lkup-num-reads=100 --noisy-lkup-num-writes=10 \
    --total-num-mbufs=4096 --auto-start --stats-period=5 </dev/null >>"$logs/testpmd.log" 2>&1 &
  router=$!
  pids+=("$router")
  for _ in $(seq 100); do
    [ -e "/sys/class/net/$out" ] && break
    kill -0 "$router" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -e "/sys/class/net/$out" ]; then
    echo "demo router: dpdk-testpmd did not start; its own words ($logs/testpmd.log):" >&2
    grep -E 'EAL: (Cannot|Error|FATAL)|Error|error|Cannot|Fail' "$logs/testpmd.log" | tail -5 >&2 || tail -5 "$logs/testpmd.log" >&2
    exit 1
  fi
  # No IPv6 chatter from the host on the taps: every packet in them is the sender's.
  for i in "$in" "$out"; do echo 1 >"/proc/sys/net/ipv6/conf/$i/disable_ipv6" 2>/dev/null || true; done
  # The taps are new: so is the sender's socket on them.
  python3 "$here/paced-sender.py" "$in" "$schedule" --repeat >>"$logs/traffic.log" 2>&1 &
  sender=$!
  pids+=("$sender")
  echo "$router"
}

: >"$logs/testpmd.log"
: >"$logs/traffic.log"
start_router
# Killing dpdk-testpmd restarts it (a new revision of the router); killing this script stops both.
while true; do
  started=$SECONDS
  wait "$router" || true
  [ "$stopping" = 1 ] && break
  kill "$sender" 2>/dev/null || true
  wait "$sender" 2>/dev/null || true
  pids=()
  if [ $((SECONDS - started)) -lt 2 ]; then
    echo "demo router: dpdk-testpmd (pid $router) exited within 2 s of its start; its last words ($logs/testpmd.log):" >&2
    tail -5 "$logs/testpmd.log" >&2
    exit 1
  fi
  echo "demo router: dpdk-testpmd (pid $router) exited; starting it again with the same command line" >&2
  sleep 1
  start_router
  # The demo's status file (npm start's) names the router's current pid.
  if [ -n "${VNF_LENS_DEMO_STATUS:-}" ] && [ -f "$VNF_LENS_DEMO_STATUS" ]; then
    python3 - "$VNF_LENS_DEMO_STATUS" "$router" <<'PY' || true
import json, sys
path, pid = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    s = json.load(f)
if s.get('router') == 'up':
    s['pid'] = pid
    with open(path + '.new', 'w') as f:
        f.write(json.dumps(s) + '\n')
    import os
    os.replace(path + '.new', path)
PY
  fi
done
