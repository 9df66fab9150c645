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
import json, select, socket, sys, time

# Every size a peer could make the helper hold is capped before it is read.
MAX_REPLY = 1 << 20
MAX_LINE = 4096
MAX_PORTS = 1024
MAX_COUNT = 1 << 53

def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':'), allow_nan=False) + '\n')
    sys.stdout.flush()

class Gone(Exception):
    # closed: the router closed the connection (it exited, or is restarting), not a fault of the peer.
    def __init__(self, msg, closed=False):
        Exception.__init__(self, msg)
        self.closed = closed

class Closed(OSError):
    pass

def closed_by_router(e):
    return isinstance(e, (BrokenPipeError, ConnectionResetError, Closed)) or getattr(e, 'closed', False)

def gone(e, where, ms):
    return Gone(str(e) if isinstance(e, Gone) else why(e, where, ms), closed_by_router(e))

def why(e, where, ms):
    if closed_by_router(e):
        return '%s was closed by the router (it exited or is restarting)' % where
    if isinstance(e, FileNotFoundError):
        return 'no socket at %s' % where
    if isinstance(e, PermissionError):
        return 'permission denied on %s (read it as the router\'s user or root)' % where
    if isinstance(e, ConnectionRefusedError):
        return 'nothing listens on %s (the router is gone?)' % where
    if isinstance(e, socket.timeout):
        return '%s did not answer within %d ms' % (where, ms)
    if isinstance(e, ValueError):
        return '%s sent a reply that is not valid JSON (%s)' % (where, str(e)[:80])
    return '%s: %s' % (where, e)

def count(v):
    # A count goes on as a JSON number only when it is one; anything else as a short text, for the notice.
    if type(v) is int and 0 <= v < MAX_COUNT:
        return v
    if v is None:
        return None
    try:
        t = repr(v)
    except Exception:
        t = '(unprintable)'
    return t[:40]

def wait(sock, deadline):
    left = deadline - time.time()
    if left <= 0:
        raise socket.timeout()
    sock.settimeout(left)

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
                    out[t] = count(int(f.read(64)))
            except (OSError, ValueError):
                pass
        return out

    def recv(self, deadline):
        wait(self.sock, deadline)
        data, _, flags, _ = self.sock.recvmsg(self.size)
        if flags & socket.MSG_TRUNC:
            raise Gone('%s sent a reply over %d bytes' % (self.path, self.size))
        if not data:
            raise Closed()
        return data

    def connect(self, deadline, ms):
        problems = []
        for path in self.paths:
            if time.time() >= deadline:
                # Out of time: the paths not tried are not reported as silent.
                break
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            self.sock, self.path, self.size = s, path, 65536
            try:
                wait(s, deadline)
                s.connect(path)
                hello = json.loads(self.recv(deadline).decode())
                if not isinstance(hello, dict):
                    raise ValueError('the greeting is not an object')
            except (OSError, ValueError, Gone) as e:
                s.close()
                self.sock = None
                problems.append(str(e) if isinstance(e, Gone) else why(e, path, ms))
                continue
            if self.pid is not None and hello.get('pid') != self.pid:
                s.close()
                self.sock = None
                problems.append('%s belongs to pid %s, not %s' % (path, count(hello.get('pid')), self.pid))
                continue
            n = hello.get('max_output_len')
            self.size = min(max(n if type(n) is int else 16384, 16384), MAX_REPLY) + 4096
            return {'pid': count(hello.get('pid'))}
        self.sock = None
        # The telling problems first (no permission, another process's socket); a list of absent sockets last.
        told = [p for p in problems if not p.startswith('no socket at ')]
        absent = [p[len('no socket at '):] for p in problems if p.startswith('no socket at ')]
        if absent:
            told.append('no socket at %s%s' % (absent[0], ' (nor at %d other places)' % (len(absent) - 1) if len(absent) > 1 else ''))
        raise Gone('; '.join(told) or 'no telemetry socket to try')

    def ask(self, cmd, deadline):
        self.sock.send(cmd.encode())
        return json.loads(self.recv(deadline).decode())

    def handle(self, req, deadline, ms):
        hello = self.connect(deadline, ms) if self.sock is None else None
        try:
            ports = {}
            listed = self.ask('/ethdev/list', deadline)
            ids = listed.get('/ethdev/list') if isinstance(listed, dict) else None
            if not isinstance(ids, list):
                raise Gone('%s: /ethdev/list answered %s, not a list of ports' % (self.path, count(ids)))
            if len(ids) > MAX_PORTS:
                raise Gone('%s lists %d ports, over the %d read' % (self.path, len(ids), MAX_PORTS))
            for p in ids:
                if type(p) is not int or not 0 <= p < 65536:
                    raise Gone('%s: /ethdev/list names port %s, not a port id' % (self.path, count(p)))
                got = self.ask('/ethdev/stats,%d' % p, deadline)
                st = got.get('/ethdev/stats') if isinstance(got, dict) else None
                if isinstance(st, dict):
                    ports[str(p)] = dict((k, count(st.get(k))) for k in DPDK_KEYS)
                else:
                    ports[str(p)] = None
        except (OSError, ValueError, Gone) as e:
            path = self.path
            if self.sock is not None:
                self.sock.close()
            self.sock = None
            raise gone(e, path, ms)
        out = {'ports': ports, 'path': self.path, 'taps': self.tap_drops()}
        if hello is not None:
            out['hello'] = hello
        return out

class Click:
    def __init__(self, address):
        self.address, self.sock, self.buf = address, None, b''

    def fill(self, deadline):
        wait(self.sock, deadline)
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed()
        self.buf += chunk

    def line(self, deadline):
        while True:
            i = self.buf.find(b'\n')
            if 0 <= i <= MAX_LINE:
                out, self.buf = self.buf[:i + 1], self.buf[i + 1:]
                return out.decode('latin-1').strip()
            if i > MAX_LINE or len(self.buf) > MAX_LINE:
                raise Gone('%s sent a line over %d bytes' % (self.address, MAX_LINE))
            self.fill(deadline)

    def body(self, n, deadline):
        while len(self.buf) < n:
            self.fill(deadline)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def connect(self, deadline, ms):
        a = self.address
        try:
            if a.startswith('tcp:'):
                host, port = a[4:].rsplit(':', 1)
                s = socket.create_connection((host, int(port)), max(0.001, deadline - time.time()))
            else:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                wait(s, deadline)
                s.connect(a[5:])
            self.sock, self.buf = s, b''
            greeting = self.line(deadline)
        except (OSError, Gone) as e:
            self.drop()
            raise Gone(str(e) if isinstance(e, Gone) else why(e, a, ms))
        if not greeting.startswith('Click::ControlSocket/'):
            self.drop()
            raise Gone('%s is not a Click ControlSocket (it said %r)' % (a, greeting[:80]))
        return greeting[:80]

    def drop(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buf = None, b''

    def read(self, handler, deadline):
        if not handler or any(c.isspace() or ord(c) < 32 for c in handler):
            raise Gone('refused to ask for handler %r (not a handler name)' % handler[:80])
        self.sock.sendall(('READ %s\r\n' % handler).encode())
        text = self.line(deadline)
        while text[3:4] == '-':
            text = self.line(deadline)
        if not text.startswith('200'):
            return None, text[:200]
        data = self.line(deadline).split()
        if len(data) != 2 or data[0] != 'DATA' or not data[1].isdigit() or len(data[1]) > 12:
            raise Gone('%s: expected DATA n after %r, got %r' % (self.address, text[:80], ' '.join(data)[:80]))
        n = int(data[1])
        if n > MAX_REPLY:
            raise Gone('%s: handler %s announced DATA %d, over the %d bytes read' % (self.address, handler, n, MAX_REPLY))
        v = self.body(n, deadline).decode('latin-1')
        # Counters need their first word only; the element list is read whole.
        return (v if handler == 'list' else v[:200]), None

    def handle(self, req, deadline, ms):
        greeting = self.connect(deadline, ms) if self.sock is None else None
        values, errors = {}, {}
        try:
            for h in req.get('read', []):
                v, err = self.read(h, deadline)
                if err is None:
                    values[h] = v
                else:
                    errors[h] = err
        except (OSError, Gone) as e:
            self.drop()
            raise gone(e, self.address, ms)
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
        # The answer is due before the caller gives up on it: a slow peer costs this request, not the next.
        ms = req.get('ms') if type(req.get('ms')) is int else 5000
        deadline = time.time() + ms * 0.9 / 1000
        try:
            out = src.handle(req, deadline, ms)
        except Gone as e:
            out = {'error': str(e)}
            if e.closed:
                out['closed'] = True
        except Exception as e:
            out = {'error': 'helper failed: %r' % (e,)}
        out['id'] = req.get('id')
        try:
            emit(out)
        except ValueError as e:
            emit({'error': 'helper failed to write its answer: %s' % e, 'id': req.get('id')})

main()
`;

/** argv that runs the helper with python3: one line without quotes, so any login shell passes it on. */
export function helperArgv(python: string, args: readonly string[]): string[] {
  const b64 = Buffer.from(HELPER_PY, 'utf8').toString('base64');
  return [python, '-c', `import base64;exec(base64.b64decode('${b64}'))`, ...args];
}
