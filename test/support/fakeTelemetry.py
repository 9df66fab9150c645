# A fake DPDK telemetry v2 server (a Unix SOCK_SEQPACKET socket, which Node cannot
# serve) that misbehaves on the readings a schedule names. Reading r (one
# /ethdev/list) gives each of ports 0 and 1 ipackets 1000*(r - offset),
# opackets 900*(...), imissed 10*(...), ibytes 64000*(...): so every honest
# interval between two consecutive readings has rx 2000, tx 1800, dropped 20.
# argv: socket-path schedule-json ; prints "ready" once listening.
import json, os, socket, sys, threading, time

path, schedule = sys.argv[1], {int(k): v for k, v in json.loads(sys.argv[2]).items()}
mute = schedule.get(0) == 'mute'
state = {'r': 0, 'offset': 0}
lock = threading.Lock()

def stats(n, what):
    v = {'ipackets': 1000 * n, 'opackets': 900 * n, 'ibytes': 64000 * n, 'obytes': 57600 * n, 'imissed': 10 * n, 'ierrors': 0, 'oerrors': 0, 'rx_nombuf': 0}
    if what == 'negative':
        v['ipackets'] = -11000
    elif what == 'float-huge':
        v['ipackets'] = 4e30
    elif what == 'int-huge':
        v['imissed'] = 4 * 10 ** 300
    elif what == 'digits400':
        v['opackets'] = int('9' * 400)
    elif what == 'fraction':
        v['ipackets'] = n * 1000 + 0.5
    elif what == 'nan':
        v['imissed'] = float('nan')
    elif what == 'inf':
        v['ipackets'] = float('inf')
    elif what == 'text':
        v['ipackets'] = 'banana'
    return v

def serve(c):
    if mute:
        # Accepts, never greets, never answers.
        time.sleep(3600)
    c.send(json.dumps({'version': 'DPDK 22.11.0', 'pid': os.getpid(), 'max_output_len': 16384}).encode())
    what = None
    while True:
        try:
            cmd = c.recv(1024).decode()
        except OSError:
            return
        if not cmd:
            return
        if cmd == '/ethdev/list':
            with lock:
                state['r'] += 1
                r = state['r']
                what = schedule.get(r)
                if what == 'restart':
                    state['offset'] = r - 1
                n = r - state['offset']
            if what == 'silent':
                time.sleep(1.5)
            if what == 'hangup':
                # As a router that exits: the connection closes with the request unanswered.
                c.close()
                return
            if what == 'oversize':
                c.send(b'{"/ethdev/list":[0,1],"pad":"' + b'x' * 100000 + b'"}')
                continue
            ports = [0] if what == 'missing-port' else ['x'] if what == 'port-text' else [0, 1]
            c.send(json.dumps({'/ethdev/list': ports}).encode())
        elif cmd.startswith('/ethdev/stats,'):
            c.send(json.dumps({'/ethdev/stats': stats(n, what)}).encode())
        else:
            c.send(json.dumps({cmd: None}).encode())

s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(path)
s.listen(8)
sys.stdout.write('ready\n')
sys.stdout.flush()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
