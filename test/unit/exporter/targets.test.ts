import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTargetConfig } from '../../../src/core/exporter/targetConfig.ts';
import { backtrackingRisk, compileGlobMatcher, compileRegexMatcher } from '../../../src/core/exporter/patterns.ts';
import { compileTarget, labelsFor, selectProcesses } from '../../../src/core/exporter/targets.ts';
import { listProcesses, parsePsOutput } from '../../../src/core/host/processes.ts';

const PS = [
  '  101 root      95.0  3   120 /usr/bin/dpdk-testpmd -l 0,1 --no-huge --file-prefix=lab-a -- --auto-start',
  '  102 root       0.1  1   100 /usr/bin/vpp -c /etc/vpp/startup.conf',
  '  103 root       0.0  1   100 /usr/bin/perf stat -x, -I 1000 -p 101',
  '  104 root       0.0  1   100 [kworker/0:1]',
  '  105 bob        0.0  1   100 /usr/bin/click -f /etc/click/router.click',
  '  106 bob        0.0  1   100 /usr/bin/sleep 60',
].join('\n');

describe('target selection', () => {
  const list = parsePsOutput(PS, Date.now());

  test('pids, globs, command-line patterns and router kinds select processes; perf and kernel threads never', () => {
    const pick = (...specs: Parameters<typeof compileTarget>[0][]) => [...selectProcesses(list, specs.map(compileTarget)).keys()].sort();
    assert.deepEqual(pick({ router: 'any' }), [101, 102, 105]);
    assert.deepEqual(pick({ router: 'vpp' }), [102]);
    assert.deepEqual(pick({ name: 'dpdk-*' }), [101]);
    assert.deepEqual(pick({ name: 'click' }, { pid: 106 }), [105, 106]);
    assert.deepEqual(pick({ match: '--file-prefix=lab-' }), [101]);
    assert.deepEqual(pick({ name: '*' }), [101, 102, 105, 106]);
    assert.deepEqual(pick({ name: 'k*' }), []);
    assert.deepEqual([...selectProcesses(list, [compileTarget({ router: 'any' })], new Set([101])).keys()].sort(), [102, 105]);
    assert.deepEqual(labelsFor('lab1', list.find((p) => p.pid === 101)!), { host: 'lab1', router: 'dpdk', pid: '101', comm: 'dpdk-testpmd' });
    assert.deepEqual(labelsFor('lab1', list.find((p) => p.pid === 106)!), { host: 'lab1', router: 'unknown', pid: '106', comm: 'sleep' });
    assert.ok(compileGlobMatcher('vpp?main')('vpp_main'));
    assert.ok(!compileGlobMatcher('a.b')('axb'), 'dots are literal');
    assert.deepEqual(pick({ cmdline: '*click -f */router.click' }), [105]);
    assert.deepEqual(pick({ cmdline: '*--file-prefix=lab-?*' }), [101]);
    assert.deepEqual(pick({ cmdline: 'click*' }), [], 'the whole command line must match');
  });

  test('on this host, the exporter never selects itself', async () => {
    const own = await listProcesses({ kind: 'local' });
    const me = own.find((p) => p.pid === process.pid);
    assert.ok(me, 'this test process is listed');
    assert.ok(!selectProcesses(own, [compileTarget({ pid: process.pid })], new Set([process.pid])).has(process.pid));
  });
});

describe('target config', () => {
  const parse = (json: unknown) => parseTargetConfig(json, 'target config fleet.json');

  test('hosts get labels, targets and their own settings', () => {
    const c = parse({
      intervalMs: 500,
      events: ['task-clock', 'cpu/event=0x3c,umask=0x0/'],
      pollSeconds: 2,
      hosts: [
        { local: true, targets: [{ router: 'any' }] },
        { ssh: 'root@lab1:2222', targets: [{ pid: 4242 }, { name: 'vpp_main' }], intervalMs: 100 },
        { ssh: 'lab2', name: 'edge-2', sshConfig: '/etc/vnf/ssh_config', targets: [{ match: 'click .*\\.click' }] },
      ],
    });
    assert.equal(c.intervalMs, 500);
    assert.deepEqual(c.events, ['task-clock', 'cpu/event=0x3c,umask=0x0/']);
    assert.deepEqual(
      c.hosts.map((h) => [h.name, h.target.kind, h.intervalMs]),
      [
        ['local', 'local', undefined],
        ['root@lab1:2222', 'ssh', 100],
        ['edge-2', 'ssh', undefined],
      ],
    );
    assert.deepEqual(c.hosts[2]!.target, { kind: 'ssh', host: 'lab2', configFile: '/etc/vnf/ssh_config' });
  });

  test('mistakes are reported with their JSON path', () => {
    const cases: [unknown, RegExp][] = [
      [[], / target config fleet\.json: \(top level\): must be a JSON object$/],
      [{ hosts: [] }, /\/hosts: must be a non-empty array/],
      [{ hosts: [{ targets: [{ pid: 1 }] }] }, /\/hosts\/0: say where the router runs: "local": true, or "ssh": \[user@\]host/],
      [{ hosts: [{ local: true, ssh: 'x', targets: [{ pid: 1 }] }] }, /\/hosts\/0: give either "local" or "ssh"/],
      [{ hosts: [{ ssh: '-oProxyCommand=x', targets: [{ pid: 1 }] }] }, /\/hosts\/0: ssh destination .* must be an ssh config Host/],
      [{ hosts: [{ local: true, targets: [{ pid: 1, name: 'x' }] }] }, /\/hosts\/0\/targets\/0: give exactly one of "pid", "name", "cmdline", "match", "router"/],
      [{ hosts: [{ local: true, targets: [{ pid: -3 }] }] }, /\/hosts\/0\/targets\/0\/pid: PID -3 is not a process id/],
      [{ hosts: [{ local: true, targets: [{ match: '(' }] }] }, /\/hosts\/0\/targets\/0\/match: not a regular expression/],
      [{ hosts: [{ local: true, targets: [{ router: 'nginx' }] }] }, /\/hosts\/0\/targets\/0\/router: "nginx" is not a router kind/],
      [{ hosts: [{ local: true, targets: [{ pid: 1 }], interval: 5 }] }, /\/hosts\/0: unknown key "interval"/],
      [{ hosts: [{ local: true, targets: [{ pid: 1 }] }], intervalMs: 1.5 }, /\/intervalMs: interval 1\.5 ms must be a whole number/],
      [{ hosts: [{ local: true, targets: [{ pid: 1 }] }], events: ['task-clock;rm'] }, /\/events: event "task-clock;rm" contains ";"/],
      [
        {
          hosts: [
            { local: true, targets: [{ pid: 1 }] },
            { local: true, targets: [{ pid: 2 }] },
          ],
        },
        /\/hosts\/1\/name: host name "local" is used twice/,
      ],
    ];
    for (const [json, re] of cases) assert.throws(() => parse(json), re, JSON.stringify(json));
  });
});

describe('command-line patterns cannot hang the exporter', () => {
  const hostile = 'a'.repeat(50_000) + 'b';

  test('a catastrophic regex runs in linear time on a hostile command line', () => {
    for (const p of ['(a|aa)+$', '(a+)+$', '(a*)*b$', '^(a|a?)+c']) {
      const matches = compileRegexMatcher(p);
      const t0 = process.cpuUsage();
      matches(hostile);
      const cpu = process.cpuUsage(t0);
      // Backtracking takes longer than the universe; linear matching takes milliseconds.
      assert.ok(cpu.user + cpu.system < 2_000_000, `${p}: ${(cpu.user + cpu.system) / 1000} ms CPU`);
    }
    assert.equal(compileRegexMatcher('click .*bridge\\.click')('/usr/bin/click -f /srv/bridge.click'), true);
    assert.equal(compileRegexMatcher('^vpp')('/usr/bin/vpp'), false);
  });

  test('patterns that need backtracking are refused with a pointer to globs', () => {
    assert.throws(() => compileRegexMatcher('(a)\\1'), /backreferences or lookarounds.*--cmdline GLOB/);
    assert.throws(() => compileRegexMatcher('click(?=x)'), /backreferences or lookarounds/);
    assert.throws(() => compileRegexMatcher('(unclosed'), /not a regular expression/);
    assert.throws(() => parseTargetConfig({ hosts: [{ local: true, targets: [{ match: '(a)\\1' }] }] }, 'cfg'), /cfg: \/hosts\/0\/targets\/0\/match: .*backreferences/);
  });

  test('without the linear engine, nested and ambiguous repetition is refused up front', () => {
    for (const p of ['(a|aa)+$', '(a+)+', '(x*)*', '(a|b){2,}', '((ab)*c)+', '(a)\\1']) assert.ok(backtrackingRisk(p), p);
    for (const p of ['click .*bridge\\.click', '(foo|bar)', '--file-prefix=lab-', '(?:ab)+', '[(|*]+', 'vpp(_main)?']) assert.equal(backtrackingRisk(p), undefined, p);
  });

  test('globs take time proportional to text x pattern, never exponential', () => {
    const matches = compileGlobMatcher('*a*a*a*a*a*a*a*a*c');
    const t0 = process.cpuUsage();
    assert.equal(matches(hostile), false);
    const cpu = process.cpuUsage(t0);
    assert.ok(cpu.user + cpu.system < 2_000_000, `${(cpu.user + cpu.system) / 1000} ms CPU`);
    const viaName = compileTarget({ name: '*a*a*a*a*a*a*a*a*c' });
    assert.equal(viaName.test(parsePsOutput(`  1 root 0.0 1 1 /usr/bin/${hostile}`, Date.now())[0]!), false);
  });
});
