/**
 * The counter helper: a few lines of python3 that run on the router's host (locally
 * or over the session's ssh connection) and talk to sockets Node cannot reach from
 * afar: DPDK telemetry is a Unix SOCK_SEQPACKET socket, which neither Node nor ssh
 * port forwarding can carry; a Click ControlSocket may be a Unix socket on the lab
 * host. Requests are JSON lines on stdin, answers JSON lines on stdout, one per
 * request, in order; the first line says the helper is ready. The lab host needs
 * python3 (3.6 or later, standard library only).
 */
export const HELPER_PY = String.raw`
import json, select, socket, sys

def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
    sys.stdout.flush()

class Gone(Exception):
    pass

def why(e, where):
    if isinstance(e, FileNotFoundError):
        return 'no socket at %s' % where
    if isinstance(e, PermissionError):
        return 'permission denied on %s (read it as the router\'s user or root)' % where
    if isinstance(e, ConnectionRefusedError):
        return 'nothing listens on %s (the router is gone?)' % where
    if isinstance(e, socket.timeout):
        return '%s did not answer within 5 s' % where
    return '%s: %s' % (where, e)

DPDK_KEYS = ('ipackets', 'opackets', 'ibytes', 'obytes', 'imissed', 'ierrors', 'oerrors', 'rx_nombuf')

class Dpdk:
    def __init__(self, pid, args):
        self.pid, self.sock, self.path, self.size = pid, None, None, 16384
        self.paths = [a for a in args if not a.startswith('--tap=')]
        self.taps = [a[6:] for a in args if a.startswith('--tap=')]

    def tap_drops(self):
        # What the kernel could not hand to a tap port in time: drops before the router saw them.
        out = {}
        for t in self.taps:
            try:
                with open('/sys/class/net/%s/statistics/tx_dropped' % t) as f:
                    out[t] = int(f.read())
            except (OSError, ValueError):
                pass
        return out

    def connect(self):
        problems = []
        for path in self.paths:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            s.settimeout(5)
            try:
                s.connect(path)
                hello = json.loads(s.recv(65536).decode())
            except (OSError, ValueError) as e:
                s.close()
                problems.append(why(e, path))
                continue
            if self.pid is not None and hello.get('pid') != self.pid:
                s.close()
                problems.append('%s belongs to pid %s, not %s' % (path, hello.get('pid'), self.pid))
                continue
            self.sock, self.path = s, path
            self.size = max(int(hello.get('max_output_len') or 16384), 16384) + 4096
            return hello
        # The telling problems first (no permission, another process's socket); a list of absent sockets last.
        told = [p for p in problems if not p.startswith('no socket at ')]
        absent = [p[len('no socket at '):] for p in problems if p.startswith('no socket at ')]
        if absent:
            told.append('no socket at %s%s' % (absent[0], ' (nor at %d other places)' % (len(absent) - 1) if len(absent) > 1 else ''))
        raise Gone('; '.join(told) or 'no telemetry socket to try')

    def ask(self, cmd):
        self.sock.send(cmd.encode())
        data = self.sock.recv(self.size)
        if not data:
            raise OSError('the router closed the connection')
        return json.loads(data.decode())

    def handle(self, req):
        hello = self.connect() if self.sock is None else None
        try:
            ports = {}
            for p in self.ask('/ethdev/list').get('/ethdev/list') or []:
                st = self.ask('/ethdev/stats,%d' % p).get('/ethdev/stats')
                if st:
                    ports[str(p)] = dict((k, st.get(k)) for k in DPDK_KEYS)
        except (OSError, ValueError) as e:
            path = self.path
            self.sock.close()
            self.sock = None
            raise Gone(why(e, path))
        out = {'ports': ports, 'path': self.path, 'taps': self.tap_drops()}
        if hello is not None:
            out['hello'] = hello
        return out

class Click:
    def __init__(self, address):
        self.address, self.sock, self.f = address, None, None

    def connect(self):
        a = self.address
        try:
            if a.startswith('tcp:'):
                host, port = a[4:].rsplit(':', 1)
                s = socket.create_connection((host, int(port)), 5)
            else:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(5)
                s.connect(a[5:])
            s.settimeout(5)
            f = s.makefile('rb')
            greeting = f.readline().decode('latin-1').strip()
        except OSError as e:
            raise Gone(why(e, a))
        if not greeting.startswith('Click::ControlSocket/'):
            s.close()
            raise Gone('%s is not a Click ControlSocket (it said %r)' % (a, greeting[:80]))
        self.sock, self.f = s, f
        return greeting

    def read(self, handler):
        self.sock.sendall(('READ %s\r\n' % handler).encode())
        line = self.f.readline()
        while line[3:4] == b'-':
            line = self.f.readline()
        if not line:
            raise OSError('the router closed the connection')
        text = line.decode('latin-1').strip()
        if not text.startswith('200'):
            return None, text
        data = self.f.readline().decode('latin-1').split()
        if len(data) != 2 or data[0] != 'DATA':
            raise ValueError('expected DATA n after %r, got %r' % (text, ' '.join(data)))
        body = self.f.read(int(data[1]))
        return body.decode('latin-1'), None

    def handle(self, req):
        greeting = self.connect() if self.sock is None else None
        values, errors = {}, {}
        try:
            for h in req.get('read', []):
                v, err = self.read(h)
                if err is None:
                    values[h] = v
                else:
                    errors[h] = err
        except (OSError, ValueError) as e:
            self.sock.close()
            self.sock = None
            raise Gone(why(e, self.address))
        out = {'values': values, 'errors': errors}
        if greeting is not None:
            out['greeting'] = greeting
        return out

def main():
    # A reader left behind by a session that never closed it goes away by itself.
    idle = float(sys.argv[1])
    mode = sys.argv[2]
    if mode == 'dpdk':
        src = Dpdk(None if sys.argv[3] == '-' else int(sys.argv[3]), sys.argv[4:])
    else:
        src = Click(sys.argv[3])
    emit({'ready': sys.version.split()[0]})
    while True:
        if not select.select([sys.stdin], [], [], idle)[0]:
            return
        line = sys.stdin.readline()
        if not line:
            return
        req = json.loads(line)
        try:
            out = src.handle(req)
        except Gone as e:
            out = {'error': str(e)}
        except Exception as e:
            out = {'error': 'helper failed: %r' % (e,)}
        out['id'] = req.get('id')
        emit(out)

main()
`;

/** argv that runs the helper with python3: one line without quotes, so any login shell passes it on. */
export function helperArgv(python: string, args: readonly string[]): string[] {
  const b64 = Buffer.from(HELPER_PY, 'utf8').toString('base64');
  return [python, '-c', `import base64;exec(base64.b64decode('${b64}'))`, ...args];
}
