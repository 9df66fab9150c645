import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { LiveSession } from '../../../src/core/live/session.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { collect, waitFor } from '../../support/live.ts';

const missing = missingBinaries('perf', 'python3', 'bash');

/**
 * A stand-in for a FastClick router (Click is not packaged for Debian): a process whose
 * command line is `click … router.click`, whose config declares `ControlSocket(TCP, PORT)`,
 * and which answers on that port as Click's ControlSocket documents it, with FromDPDKDevice
 * and ToDPDKDevice elements counting 2000 packets per second.
 */
const SERVER = String.raw`
import socket, sys, threading, time
port = int(sys.argv[2])
start = time.time()
def count():
    return str(int((time.time() - start) * 2000)) + '\n'
answers = {'list': lambda: '2\nin0\nout0\n', 'in0.class': lambda: 'FromDPDKDevice\n', 'out0.class': lambda: 'ToDPDKDevice\n',
           'in0.count': count, 'out0.count': count, 'in0.hw_dropped': lambda: '0\n', 'out0.dropped': lambda: '0\n'}
def serve(c):
    c.sendall(b'Click::ControlSocket/1.3\r\n')
    f = c.makefile('rb')
    for line in f:
        words = line.decode().split()
        h = answers.get(words[1]) if len(words) == 2 and words[0] == 'READ' else None
        if h is None:
            c.sendall(b"511 No such handler\r\n")
            continue
        body = h().encode()
        c.sendall(b"200 Read handler OK\r\nDATA %d\r\n" % len(body) + body)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(4)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('Click router found by its configuration: the ControlSocket it declares is read for packets', { skip: missing }, () => {
  let dir: string;
  let pid: number;
  let port: number;
  let stop: () => Promise<void>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-click-'));
    port = await freePort();
    writeFileSync(join(dir, 'router.click'), `// a bridge\nControlSocket(TCP, ${port});\nin0 :: FromDPDKDevice(0) -> out0 :: ToDPDKDevice(1);\n`);
    writeFileSync(join(dir, 'server.py'), SERVER);
    const { execa } = await loadExeca();
    // argv[0] is `click`: the process looks like a Click router to `ps` and to the session.
    // The interpreter itself (not a wrapper such as a pyenv shim, which would re-exec under its own name).
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const p = execa('bash', ['-c', 'exec -a click "$1" server.py router.click "$2"', 'vnf-lens', python, String(port)], { cwd: dir, reject: false, stdin: 'ignore' });
    const untrack = track(`click stand-in ${p.pid}`, () => killQuietly(p.pid));
    pid = p.pid!;
    stop = async () => {
      p.kill('SIGKILL');
      await p;
      untrack();
    };
    await waitFor('the control socket', () => {
      try {
        return execFileSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' }) !== undefined;
      } catch {
        return false;
      }
    });
  });

  after(async () => {
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a live session finds the ControlSocket in the config named on the command line and records packets per interval', async () => {
    const s = new LiveSession({ target: { kind: 'local' }, pids: [pid], events: ['task-clock'], intervalMs: 300 });
    const c = collect(s);
    await s.start();
    await waitFor('intervals with packets', () => c.intervals.filter((iv) => iv.packets).length >= 4).catch((e: Error) => {
      throw new Error(`${e.message}; notices: ${c.notices.join(' | ')}; ${c.intervals.length} intervals`);
    });
    await s.stop();
    assert.ok(c.notices.some((n) => n.includes(`router packet counters from Click ControlSocket tcp:127.0.0.1:${port} (in0, out0)`)), c.notices.join('\n'));
    const withPackets = c.intervals.filter((iv) => iv.packets);
    assert.ok(withPackets.every((iv) => iv.packets!.source === 'click'));
    // Each interval gets what arrived between two readings; over the run that is the router's 2000 packets/s.
    const rx = withPackets.reduce((a, iv) => a + iv.packets!.rx, 0);
    const seconds = withPackets.reduce((a, iv) => a + iv.dt, 0);
    assert.ok(Math.abs(rx / seconds - 2000) < 500, `about 2000 packets/s: ${rx} in ${seconds.toFixed(2)} s (${withPackets.map((iv) => iv.packets!.rx).join(' ')})`);
    const tx = withPackets.reduce((a, iv) => a + iv.packets!.tx, 0);
    assert.ok(Math.abs(tx - rx) <= 0.02 * rx + 20, `tx ${tx} matches rx ${rx} (each handler is read a moment apart)`);
  });
});
