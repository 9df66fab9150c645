import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { LocalHost } from '../../../src/core/host/localHost.ts';
import { listProcesses, parseCmdlineDump, parsePsOutput, readCmdlinesWithScript, sortRoutersFirst, splitCmdline } from '../../../src/core/host/processes.ts';

const PS = [
  '      1 root                               0.3   12       600 /sbin/init',
  '      2 root                               0.0    1       600 [kthreadd]',
  '   4242 root                              99.5    6        60 /usr/bin/dpdk-testpmd -l 0,1 --no-huge -- --forward-mode=io',
  '   5000 alice                              12.0    1        10 vim notes.txt',
  '   6000 root                               1.0    4       100 /usr/bin/vpp -c /etc/vpp/startup.conf',
  'garbage line',
].join('\n');

test('ps output: fields, start time from elapsed seconds, kernel threads, routers first', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const list = sortRoutersFirst(parsePsOutput(PS, now));
  assert.deepEqual(
    list.map((p) => p.pid),
    [4242, 6000, 5000, 1, 2],
  );
  const tp = list[0]!;
  assert.equal(tp.user, 'root');
  assert.equal(tp.cpuPercent, 99.5);
  assert.equal(tp.threads, 6);
  assert.equal(tp.startedAt, '2026-01-01T11:59:00.000Z');
  assert.equal(tp.router?.name, 'DPDK testpmd');
  assert.equal(list[1]!.router?.configFiles[0], '/etc/vpp/startup.conf');
  assert.equal(list.find((p) => p.pid === 2)!.kernelThread, true);
  assert.equal(list.find((p) => p.pid === 5000)!.router, undefined);
});

test('exact argv: NUL-separated bytes, with spaces, newlines and separator bytes kept inside arguments', () => {
  assert.deepEqual(splitCmdline(Buffer.from('click\0/srv/my router.click\0a\x1eb\x1fc\0')), ['click', '/srv/my router.click', 'a\x1eb\x1fc']);
  assert.deepEqual(splitCmdline(Buffer.from('rewritten title')), ['rewritten title']);
  const dump = `P4242\n ${[...Buffer.from('click\0x\0')].map((b) => b.toString(16).padStart(2, '0')).join(' ')}\nP77\n 76 70 70 00 61 0a 62 00\nP9\n zz 00\n`;
  const m = parseCmdlineDump(dump);
  assert.deepEqual(m.get(4242), ['click', 'x']);
  assert.deepEqual(m.get(77), ['vpp', 'a\nb']);
  assert.equal(m.has(9), false, 'a record that is not hex is dropped');
});

test('a process cannot forge another router identity through its own arguments (here and through the ssh script)', async (t) => {
  const sleeper = 'sleep 30; exit 0';
  const victim = spawn('sh', ['-c', sleeper, 'x', 'bridge.click'], { argv0: 'click', stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 50));
  // The old reader split on \x1e/\x1f: this argument made the victim read as VPP with config /etc/shadow.
  const forged = `a\x1e${victim.pid}\x1fvpp\x1f-c\x1f/etc/shadow\x1f\x1e`;
  const forger = spawn('sh', ['-c', sleeper, 'x', forged], { argv0: 'click', stdio: 'ignore' });
  t.after(() => {
    victim.kill('SIGKILL');
    forger.kill('SIGKILL');
  });
  await new Promise((r) => setTimeout(r, 100));
  const host = new LocalHost({ kind: 'local' });
  const list = await listProcesses(host);
  const v = list.find((p) => p.pid === victim.pid)!;
  assert.equal(v.router?.kind, 'fastclick');
  assert.deepEqual(v.router?.configFiles, ['bridge.click']);
  assert.deepEqual(v.argv, ['click', '-c', sleeper, 'x', 'bridge.click']);
  assert.deepEqual(list.find((p) => p.pid === forger.pid)!.argv.at(-1), forged);
  const viaScript = await readCmdlinesWithScript(host, [victim.pid!, forger.pid!]);
  assert.deepEqual(viaScript.get(victim.pid!), ['click', '-c', sleeper, 'x', 'bridge.click']);
  assert.deepEqual(viaScript.get(forger.pid!), ['click', '-c', sleeper, 'x', forged]);
});
