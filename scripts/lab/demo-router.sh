#!/usr/bin/env bash
# The demo router: dpdk-testpmd forwarding between two tap ports, with paced traffic
# into the first tap on a schedule, repeating: idle, a clean rate, a lossy rate.
# testpmd runs the "noisy" forwarding mode (memory lookups per packet, like a VNF
# doing work), so it takes roughly 30-60 kpps here and the lossy rate really loses
# packets at the tap. Needs root (taps, raw socket) and /dev/net/tun; prints the
# router's pid and runs until killed (it stops testpmd and the sender on exit). When
# testpmd alone is killed, it is started again with the same command line (and its
# new pid printed): a restart of the router, for sessions that follow it.
#
#   demo-router.sh LOGDIR [PREFIX] [SCHEDULE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
logs="${1:?usage: demo-router.sh LOGDIR [PREFIX] [SCHEDULE]}"
prefix="${2:-vnf-lens-demo}"
schedule="${3:-0:15,10000:15,60000:10}"
in=vnflens-demo0
out=vnflens-demo1
mkdir -p "$logs"
pids=()
stopping=0
cleanup() { stopping=1; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "/var/run/dpdk/$prefix"; }
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

# The same command line every time: a VNF Lens session following the router takes the
# restarted process as its next revision.
start_router() {
  dpdk-testpmd -l 0,1 --no-huge -m 512 --no-pci --vdev="net_tap0,iface=$in" --vdev="net_tap1,iface=$out" --file-prefix="$prefix" \
    -- --forward-mode=noisy --noisy-lkup-memory=64 --noisy-lkup-num-reads=100 --noisy-lkup-num-writes=10 \
    --total-num-mbufs=4096 --auto-start --stats-period=5 </dev/null >>"$logs/testpmd.log" 2>&1 &
  router=$!
  pids+=("$router")
  for _ in $(seq 100); do [ -e "/sys/class/net/$out" ] && break; sleep 0.1; done
  if [ ! -e "/sys/class/net/$out" ]; then echo "demo router did not start; see $logs/testpmd.log" >&2; exit 1; fi
  # No IPv6 chatter from the host on the taps: every packet in them is the sender's.
  for i in "$in" "$out"; do echo 1 >"/proc/sys/net/ipv6/conf/$i/disable_ipv6" 2>/dev/null || true; done
  # The taps are new: so is the sender's socket on them.
  python3 "$here/paced-sender.py" "$in" "$schedule" --repeat >>"$logs/traffic.log" 2>&1 &
  sender=$!
  pids+=("$sender")
  echo "$router"
}

start_router
# Killing dpdk-testpmd restarts it (a new revision of the router); killing this script stops both.
while true; do
  started=$SECONDS
  wait "$router" || true
  [ "$stopping" = 1 ] && break
  kill "$sender" 2>/dev/null || true
  wait "$sender" 2>/dev/null || true
  if [ $((SECONDS - started)) -lt 2 ]; then echo "demo router exited within 2 s of its start; see $logs/testpmd.log" >&2; exit 1; fi
  echo "demo router exited; starting it again with the same command line" >&2
  sleep 1
  start_router
done
