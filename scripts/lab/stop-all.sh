# Sourced by the demo's scripts: stop_all GRACE PID... sends TERM to each process, waits
# for them, and sends KILL to those still there after GRACE seconds. Waiting (not only
# signalling) is what lets Ctrl-C of npm start end the whole demo within a bound.
stop_all() {
  local grace="$1"
  shift
  [ "$#" -gt 0 ] || return 0
  local p killer
  for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
  (sleep "$grace"; kill -KILL "$@" 2>/dev/null) &
  killer=$!
  wait "$@" 2>/dev/null || true
  kill "$killer" 2>/dev/null || true
}
