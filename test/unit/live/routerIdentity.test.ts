import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { openHost } from '../../../src/core/host/openHost.ts';
import { findRouterProcesses, routerIdentity, sameRouter } from '../../../src/core/live/routerIdentity.ts';
import { killQuietly, track } from '../../support/cleanup.ts';

const testpmd = ['/usr/bin/dpdk-testpmd', '-l', '0,1', '--no-huge', '--vdev=net_tap0,iface=lab0', '--file-prefix=lab', '--', '--forward-mode=io'];
const click = ['/opt/fastclick/bin/click', '--dpdk', '-l', '0-1', '--', '/etc/click/router.click'];
const vpp = ['/usr/bin/vpp', '-c', '/etc/vpp/startup.conf'];

describe('router identity', () => {
  it('is the host, the exact command line, the executable and the config files it names', () => {
    assert.deepEqual(routerIdentity('lab-1', click), { host: 'lab-1', argv: click, exe: '/opt/fastclick/bin/click', configFiles: ['/etc/click/router.click'] });
    assert.deepEqual(routerIdentity('local', vpp).configFiles, ['/etc/vpp/startup.conf']);
    assert.throws(() => routerIdentity('local', []), /cannot follow a process without a command line on local/);
  });

  it('matches the same command line, and the same executable on the same config files with other options', () => {
    assert.ok(sameRouter(routerIdentity('l', testpmd), [...testpmd]));
    // A restart with another core list or log level is the same router: its binary and config.
    assert.ok(sameRouter(routerIdentity('l', click), ['/opt/fastclick/bin/click', '--dpdk', '-l', '0-3', '--log-level=8', '--', '/etc/click/router.click']));
    assert.ok(sameRouter(routerIdentity('l', vpp), ['/usr/bin/vpp', '-c', '/etc/vpp/startup.conf', 'unix', '{', 'nodaemon', '}']));
  });

  it('does not match another config, another executable, or a config-less router with other options', () => {
    assert.ok(!sameRouter(routerIdentity('l', click), ['/opt/fastclick/bin/click', '--dpdk', '-l', '0-1', '--', '/etc/click/other.click']));
    assert.ok(!sameRouter(routerIdentity('l', click), ['/home/me/fastclick/bin/click', '--dpdk', '-l', '0-1', '--', '/etc/click/router.click']));
    assert.ok(!sameRouter(routerIdentity('l', vpp), ['/usr/bin/vpp', '-c', '/etc/vpp/startup.conf', '-c', '/etc/vpp/more.conf']));
    // Two testpmd instances differ only in options: only the exact command line is the same router.
    assert.ok(!sameRouter(routerIdentity('l', testpmd), testpmd.map((a) => (a === '--file-prefix=lab' ? '--file-prefix=lab2' : a))));
    assert.ok(!sameRouter(routerIdentity('l', testpmd), testpmd.slice(0, -1)));
  });

  it('finds real processes by their exact argv, newest first, without the excluded ones (spaces in an argument do not confuse it)', async () => {
    const { execa } = await loadExeca();
    const argv = ['sleep', '117.5'];
    const started = [0, 1, 2].map(() => execa(argv[0]!, argv.slice(1), { reject: false, stdin: 'ignore' }));
    // A process whose one argument looks like the other's whole command line.
    const lookalike = execa('sh', ['-c', 'exec -a sleep sleep "117.5 x"'], { reject: false, stdin: 'ignore' });
    const untrack = [...started, lookalike].map((p) => track(`sleep ${p.pid}`, () => killQuietly(p.pid)));
    const host = await openHost({ kind: 'local' });
    try {
      const pids = started.map((p) => p.pid!);
      await new Promise((r) => setTimeout(r, 200));
      const id = routerIdentity('local', argv);
      const found = await findRouterProcesses(host, id, new Set([pids[0]!]));
      assert.deepEqual(
        found.map((f) => f.pid),
        [...pids.slice(1)].sort((a, b) => b - a),
      );
      assert.deepEqual(found[0]!.argv, argv);
      assert.ok(!found.some((f) => f.pid === lookalike.pid));
    } finally {
      await host.close();
      for (const p of [...started, lookalike]) p.kill('SIGKILL');
      await Promise.all([...started, lookalike]);
      untrack.forEach((u) => u());
    }
  });
});
