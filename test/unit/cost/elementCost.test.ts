import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseClickConfig } from '../../../src/core/config/click/clickParser.ts';
import { clickElementsForCost } from '../../../src/core/cost/configElements.ts';
import { elementCostView, shareError } from '../../../src/core/cost/costView.ts';
import { attributeSamples } from '../../../src/core/cost/elementCost.ts';
import { checkTempDir, mktempArgv, parseTimes, perfRecordArgv, perfScriptArgv, timedArgv, withoutTimes } from '../../../src/core/cost/perfRecordCommand.ts';
import { parsePerfScript } from '../../../src/core/cost/perfSamples.ts';
import { classOfSymbol } from '../../../src/core/cost/symbolClass.ts';

/** perf script -F comm,tid,period,ip,sym,dso output as perf 6.1 prints it, with call chains. */
const SCRIPT = [
  'click 4242   10101010 ',
  '\t            2363 spin (/opt/click/bin/click)',
  '\t            3dd4 RadixIPLookup::push (/opt/click/bin/click)',
  '\t            3b3f main (/opt/click/bin/click)',
  '\t           27249 __libc_start_call_main (/usr/lib/x86_64-linux-gnu/libc.so.6)',
  '',
  'click 4242   10101010 ',
  '\t          1a2b3c __memmove_avx_unaligned_erms+0x1f (/usr/lib/x86_64-linux-gnu/libc.so.6)',
  '\t            4100 Classifier::push(int, Packet*) (/opt/click/bin/click)',
  '\t            3b3f main (/opt/click/bin/click)',
  '',
  'click 4242   10101010 ',
  '\t            5200 Counter::simple_action(Packet*) (/opt/click/bin/click)',
  '\t            3dd4 RadixIPLookup::push (/opt/click/bin/click)',
  '',
  'click worker 4243   10101010 ',
  '\tffffffff8a00 [unknown] ([kernel.kallsyms])',
  '\t            6000 Counter::push (/opt/click/bin/click)',
  '',
  'click 4242   10101010 ',
  '\t            7000 [unknown] (/opt/click/bin/click)',
  '',
].join('\n');

describe('perf script samples', () => {
  test('headers (comm with spaces), periods and frames innermost first; offsets dropped, [unknown] is no symbol', () => {
    const { samples, skipped } = parsePerfScript(SCRIPT);
    assert.equal(skipped, 0);
    assert.equal(samples.length, 5);
    assert.deepEqual(samples[0]!.frames.map((f) => f.symbol), ['spin', 'RadixIPLookup::push', 'main', '__libc_start_call_main']);
    assert.equal(samples[1]!.frames[0]!.symbol, '__memmove_avx_unaligned_erms');
    assert.equal(samples[3]!.comm, 'click worker');
    assert.equal(samples[3]!.tid, 4243);
    assert.equal(samples[3]!.frames[0]!.symbol, undefined);
    assert.equal(samples[3]!.frames[0]!.dso, '[kernel.kallsyms]');
    assert.equal(samples[0]!.periodNs, 10101010);
  });

  test('garbage lines are counted, not fatal', () => {
    const { samples, skipped } = parsePerfScript('not a header at all\n\tstray frame\n');
    assert.equal(samples.length, 0);
    assert.equal(skipped, 2);
  });
});

describe('C++ class of a demangled symbol', () => {
  const cases: [string, string | undefined][] = [
    ['IPLookup::push', 'IPLookup'],
    ['Classifier::push(int, Packet*)', 'Classifier'],
    ['click::Counter::simple_action(Packet*) const', 'Counter'],
    ['void Foo<int, Bar<char> >::run(Task*)', 'Foo'],
    ['std::vector<int, std::allocator<int> >::push_back(int const&)', 'vector'],
    ['memcpy', undefined],
    ['rte_eth_rx_burst', undefined],
    ['operator new(unsigned long)', undefined],
  ];
  for (const [sym, cls] of cases) test(`${sym} → ${cls ?? 'none'}`, () => assert.equal(classOfSymbol(sym), cls));
});

describe('attribution to the config elements', () => {
  const config = parseClickConfig('rt :: RadixIPLookup(0/0 0);\ncls :: Classifier(12/0800);\nc1, c2 :: Counter;\nelementclass Wrap { input -> Counter -> output }\nw :: Wrap;\nrt -> cls -> c1 -> w -> c2;\n');
  const elements = clickElementsForCost(config);
  const { samples } = parsePerfScript(SCRIPT);

  test('the config elements: top level, not compound instances or template bodies', () => {
    assert.deepEqual(elements, [
      { name: 'rt', className: 'RadixIPLookup' },
      { name: 'cls', className: 'Classifier' },
      { name: 'c1', className: 'Counter' },
      { name: 'c2', className: 'Counter' },
    ]);
  });

  test('an anonymous compound ({ … }) is no element class of the binary', () => {
    const config = parseClickConfig('src :: FromDevice(eth0); src -> { input -> Counter -> output } -> Discard;');
    assert.ok(config.elements.some((e) => e.className.startsWith('@')), 'the parser names the anonymous compound');
    assert.deepEqual(clickElementsForCost(config).map((e) => e.className), ['FromDevice', 'Discard']);
  });

  test('innermost config class on the chain wins; library and kernel time goes to the element that called it', () => {
    const r = attributeSamples(samples, elements, { executable: '/opt/click/bin/click', executableStripped: false });
    const share = Object.fromEntries(r.classes.map((c) => [c.className, c.share]));
    assert.equal(share['RadixIPLookup'], 1 / 5);
    assert.equal(share['Classifier'], 1 / 5); // memmove called by Classifier::push
    assert.equal(share['Counter'], 2 / 5); // Counter inside RadixIPLookup's push, and a syscall of Counter::push
    assert.equal(r.outside.samples, 1);
    assert.equal(r.outside.top[0]!.name, '[click]');
    assert.equal(r.cpuNs, 5 * 10101010);
    const c1 = r.elements.find((e) => e.element === 'c1')!;
    assert.deepEqual(c1.sharedWith, ['c2']);
    assert.equal(c1.share, share['Counter']);
    assert.equal(r.stripped, undefined);
    assert.ok(Math.abs(r.modules.reduce((a, m) => a + m.share, 0) - 1) < 1e-12);
  });

  test('without config classes, the innermost class of each sample counts', () => {
    const r = attributeSamples(samples, []);
    assert.deepEqual(r.classes.map((c) => c.className).sort(), ['Classifier', 'Counter', 'RadixIPLookup']);
  });

  test('a stripped executable (no .symtab) is said, per module', () => {
    const r = attributeSamples(samples, elements, { executable: '/opt/click/bin/click', executableStripped: true });
    assert.match(r.stripped!.note, /click has no symbol table \(stripped\)/);
    const v = elementCostView({ at: '2026-01-01T00:00:00Z', pid: 1, windowS: 1, frequencyHz: 99, report: r }, null);
    assert.equal(v.byModule, true);
    assert.deepEqual(v.bars.map((b) => b.label), ['click', 'libc.so.6', '[kernel.kallsyms]']);
  });

  test('the view: CPU ns per packet from the class CPU time and the packet rate; shared class flagged', () => {
    const r = attributeSamples(samples, elements, { executableStripped: false });
    const v = elementCostView({ at: '2026-01-01T00:00:00Z', pid: 1, windowS: 0.05, frequencyHz: 99, perfCpuMs: 10, report: r }, 1000);
    const counter = v.bars.find((b) => b.label === 'Counter')!;
    // 2 samples × 10.1 ms in 0.05 s at 1000 pps = 50 packets → 404,040 ns each.
    assert.equal(Math.round(counter.perPacket!), 404040);
    assert.equal(counter.shared, true);
    assert.match(counter.detail!, /c1, c2/);
    assert.equal(v.perfShare, 10 / 50);
    assert.ok(Math.abs(shareError(0.5, 100) - 0.05) < 1e-12);
  });
});

describe('perf record argv', () => {
  const dir = '/tmp/vnf-lens-cost.AbC12345';
  test('software clock, low rate, dwarf call chains, no build-id cache, bounded by sleep', () => {
    assert.deepEqual(perfRecordArgv({ pid: 42, frequencyHz: 99, windowS: 10, callGraph: 'dwarf', output: `${dir}/perf.data` }), [
      'perf', 'record', '-e', 'cpu-clock', '-F', '99', '--call-graph', 'dwarf,4096', '-p', '42', '-o', `${dir}/perf.data`, '-N', '--quiet', '--', 'sleep', '10',
    ]);
    assert.deepEqual(perfScriptArgv(undefined, `${dir}/perf.data`), ['perf', 'script', '-i', `${dir}/perf.data`, '-F', 'comm,tid,period,ip,sym,dso']);
  });

  test('bad input is refused with the reason', () => {
    assert.throws(() => perfRecordArgv({ pid: 42, frequencyHz: 0, windowS: 10, callGraph: 'fp', output: `${dir}/perf.data` }), /frequency 0 Hz/);
    assert.throws(() => perfRecordArgv({ pid: -1, frequencyHz: 99, windowS: 10, callGraph: 'fp', output: `${dir}/perf.data` }), /PID -1/);
    assert.throws(() => perfRecordArgv({ pid: 1, frequencyHz: 99, windowS: 10, callGraph: 'none', output: '/etc/perf.data' }), /not a vnf-lens-cost folder/);
    assert.throws(() => checkTempDir('/tmp/vnf-lens-cost.AbC12345; rm -rf /'), /not a vnf-lens-cost folder/);
    assert.throws(() => checkTempDir('/tmp/../etc/vnf-lens-cost.AbC12345'), /not a vnf-lens-cost folder/);
  });

  test('the timing wrapper: a fixed script, the argv as its arguments; CPU from the growth of the children times', () => {
    const argv = timedArgv(['perf', 'record', "it's"]);
    assert.equal(argv[0], 'sh');
    assert.deepEqual(argv.slice(3), ['vnf-lens-cost', '', '', 'perf', 'record', "it's"]);
    assert.throws(() => timedArgv(['true'], { folder: '/home' }), /not a vnf-lens-cost folder/);
    const stderr = '0m0.010000s 0m0.000000s\n0m0.300000s 0m0.100000s\nperf says hi\n0m0.010000s 0m0.010000s\n0m0.420000s 0m0.230000s\n';
    assert.equal(Math.round(parseTimes(stderr)!), 250);
    assert.equal(withoutTimes(stderr).trim(), 'perf says hi');
    assert.equal(parseTimes('no times here'), undefined);
  });
});

describe('the sampling folder, removed on the host when no one will read it', () => {
  type How = { parent: 'exits' | 'waits' | 'stops'; lastUse?: boolean };
  /**
   * A parent that starts the timed command (a stand-in for perf record) and then exits at
   * once, waits for it, or stops it with SIGTERM (a cancelled window) before waiting.
   */
  function runUnder(dir: string, how: How): Promise<void> {
    const argv = timedArgv(['sleep', '0.6'], { folder: dir, ...(how.lastUse ? { lastUse: true } : {}) });
    const then = { exits: ' c.unref(); process.exit(0);', waits: " c.on('exit', () => process.exit(0));", stops: " c.on('exit', () => process.exit(0)); setTimeout(() => c.kill('SIGTERM'), 150);" }[how.parent];
    const parent = `const c = require('node:child_process').spawn(${JSON.stringify(argv[0])}, ${JSON.stringify(argv.slice(1))}, { stdio: 'ignore' });${then}`;
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, ['-e', parent], { stdio: 'ignore' });
      p.on('error', reject);
      p.on('exit', () => resolve());
    });
  }

  function madeFolder(): string {
    const dir = execFileSync('mktemp', mktempArgv().slice(1), { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, 'perf.data'), 'samples');
    return dir;
  }

  test('gone with its caller, with a stop, or after its last use; kept for a living reader', async () => {
    const dirs = { orphaned: madeFolder(), stopped: madeFolder(), read: madeFolder(), kept: madeFolder() };
    try {
      await runUnder(dirs.orphaned, { parent: 'exits' });
      // The parent is gone already; the command is still running and the folder still there.
      assert.ok(existsSync(join(dirs.orphaned, 'perf.data')), 'nothing is removed while the command runs');
      await runUnder(dirs.stopped, { parent: 'stops' });
      await runUnder(dirs.read, { parent: 'waits', lastUse: true });
      await runUnder(dirs.kept, { parent: 'waits' });
      for (let i = 0; i < 50 && existsSync(dirs.orphaned); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(existsSync(dirs.orphaned), false, 'the orphaned command removed its folder');
      assert.equal(existsSync(dirs.stopped), false, 'a stopped window removed its folder before its caller could die');
      assert.equal(existsSync(dirs.read), false, 'the last use removed the folder');
      assert.ok(existsSync(join(dirs.kept, 'perf.data')), 'the folder of a living caller is left to it');
    } finally {
      for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
    }
  });
});
