#!/usr/bin/env python3
"""Rate-paced traffic into a Linux interface from the kernel side (a raw AF_PACKET socket).

  paced-sender.py IFACE RATE:SECONDS[,RATE:SECONDS…] [--repeat] [--size BYTES] [--burst N]

RATE is packets per second (0 = idle). Frames are broadcast Ethernet frames of an
experimental EtherType (0x88b5), so no host stack answers them. Sending into a tap
interface hands the frames to the DPDK application on its other side; what the
application does not take in time the kernel drops at the tap (its tx_dropped).
One JSON line per phase on stdout: {"phase", "pps", "seconds", "sent", "errors"}.
Needs root (CAP_NET_RAW). Standard library only.
"""
import json, socket, sys, time


def phases(text):
    out = []
    for part in text.split(','):
        rate, secs = part.split(':')
        out.append((float(rate), float(secs)))
    return out


def run_phase(sock, frame, pps, secs, burst):
    sent = errors = 0
    start = time.perf_counter()
    end = start + secs
    while True:
        now = time.perf_counter()
        if now >= end:
            break
        due = int((now - start) * pps) if pps > 0 else 0
        n = min(due - sent - errors, burst)
        for _ in range(n):
            try:
                sock.send(frame)
                sent += 1
            except OSError:
                errors += 1
        # Sleep until the next packet is due (at most 1 ms when busy, so pacing stays smooth).
        time.sleep(min(0.001 if pps > 0 else 0.05, max(end - now, 0)))
    return sent, errors


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    opts = dict(a[2:].split('=', 1) if '=' in a else (a[2:], '1') for a in sys.argv[1:] if a.startswith('--'))
    if len(args) != 2:
        sys.exit(__doc__)
    iface, plan = args[0], phases(args[1])
    size = max(60, int(opts.get('size', '60')))
    burst = int(opts.get('burst', '1000000'))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    frame = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01' + b'\x88\xb5' + bytes(size - 14)
    n = 0
    while True:
        for pps, secs in plan:
            sent, errors = run_phase(sock, frame, pps, secs, burst)
            print(json.dumps({'phase': n, 'pps': pps, 'seconds': secs, 'sent': sent, 'errors': errors}), flush=True)
            n += 1
        if 'repeat' not in opts:
            return


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass
