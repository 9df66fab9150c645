#!/usr/bin/env python3
"""Checks that the demo router is alive: its process runs, its DPDK telemetry socket
answers, and it counts packets (a few probe frames sent into its input tap show up in
its port 0 rx counter).

  demo-check.py PID PREFIX TAP_IN [--timeout S]

Exit 0 and one line saying what was checked; exit 1 with the reason on stderr.
Needs root (raw socket). Standard library only.
"""
import json, os, socket, sys, time


def stats(sock, size):
    sock.send(b'/ethdev/stats,0')
    reply = json.loads(sock.recv(size).decode())
    return reply['/ethdev/stats']


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 3:
        sys.exit(__doc__)
    pid, prefix, tap = int(args[0]), args[1], args[2]
    timeout = float(next((a.split('=', 1)[1] for a in sys.argv[1:] if a.startswith('--timeout=')), '20'))
    path = '/var/run/dpdk/%s/dpdk_telemetry.v2' % prefix
    deadline = time.monotonic() + timeout
    last = 'not tried'
    sock = None
    while time.monotonic() < deadline:
        if not os.path.exists('/proc/%d' % pid):
            fail('the router process (pid %d) has exited' % pid)
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            s.settimeout(2)
            s.connect(path)
            hello = json.loads(s.recv(65536).decode())
            if hello.get('pid') != pid:
                fail('%s belongs to pid %s, not the demo router (pid %d): another DPDK process uses the prefix %s' % (path, hello.get('pid'), pid, prefix))
            sock, size = s, max(int(hello.get('max_output_len') or 16384), 16384) + 4096
            break
        except (OSError, ValueError) as e:
            last = str(e)
            time.sleep(0.2)
    if sock is None:
        fail('its telemetry socket %s does not answer (%s)' % (path, last))
    before = stats(sock, size).get('ipackets', 0)
    probe = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    probe.bind((tap, 0))
    frame = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x02' + b'\x88\xb5' + bytes(46)
    down = None
    while time.monotonic() < deadline:
        try:
            for _ in range(10):
                probe.send(frame)
        except OSError as e:
            # testpmd brings the tap's link up a moment after creating it.
            down = e
            time.sleep(0.2)
            continue
        time.sleep(0.3)
        now = stats(sock, size).get('ipackets', 0)
        if now > before:
            print('router alive: pid %d, telemetry at %s answers, port 0 counted %d probe packets' % (pid, path, now - before))
            return
    fail('it counted none of the probe packets sent into %s within %.0f s%s' % (tap, timeout, ' (%s)' % down if down else ''))


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


if __name__ == '__main__':
    try:
        main()
    except (OSError, ValueError, KeyError) as e:
        fail('checking it failed: %s' % e)
