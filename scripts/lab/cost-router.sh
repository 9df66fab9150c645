#!/usr/bin/env bash
# The element-cost demo router: builds scripts/lab/cost-router.cpp with g++ (symbols
# and frame pointers kept, as a FastClick debug build) and runs it on CONFIG with a
# Click ControlSocket on a free local port, at RATE packets a second (about half of
# one CPU here). Prints the router's pid and runs until killed.
#
#   cost-router.sh WORKDIR CONFIG [RATE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:?usage: cost-router.sh WORKDIR CONFIG [RATE]}"
config="${2:?usage: cost-router.sh WORKDIR CONFIG [RATE]}"
rate="${3:-20000}"
mkdir -p "$work"
bin="$work/click-cost-lab"
if [ ! -x "$bin" ] || [ "$here/cost-router.cpp" -nt "$bin" ]; then
  g++ -O1 -g -fno-omit-frame-pointer -pthread -o "$bin" "$here/cost-router.cpp"
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin" -p "$port" -r "$rate" "$config" </dev/null >"$work/cost-router.log" 2>&1 &
router=$!
trap 'kill "$router" 2>/dev/null || true' EXIT INT TERM
echo "$router"
wait "$router"
