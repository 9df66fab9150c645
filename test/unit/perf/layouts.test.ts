import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Interval } from '../../../src/core/perf/interval.ts';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';
import { PerfStatParser } from '../../../src/core/perf/perfStatParser.ts';

function parse(text: string, separator?: string): { ivs: Interval[]; diags: ParseDiagnostic[]; started?: string } {
  const ivs: Interval[] = [];
  const diags: ParseDiagnostic[] = [];
  let started: string | undefined;
  const p = new PerfStatParser({
    onInterval: (iv) => ivs.push(iv),
    onDiagnostic: (d) => diags.push(d),
    onHeader: (s) => (started = s),
    ...(separator ? { separator } : {}),
  });
  p.push(text);
  p.end();
  return { ivs, diags, ...(started ? { started } : {}) };
}

// Lines below follow the layouts perf prints; several are copied from perf 6.1 on a test host.
describe('perf CSV layouts', () => {
  it('reads the plain -x, layout with header, metrics and multiplexing', () => {
    const { ivs, diags, started } = parse(`# started on Wed Jan 12 09:51:38 2022

     1.001384374,15064353371,,instructions,219539154,10.96,2.48,insn per cycle
     1.001384374,2001.895738,,cpu-clock,2001896632,100.00,2.002,CPUs utilized
     1.001384374,102301,,L1-icache-load-misses,160993884,8.04,,
     2.001896921,14963776373,,instructions,219539154,11.00,2.48,insn per cycle
     2.001896921,2000.9,,cpu-clock,2001896632,100.00,2.002,CPUs utilized
`);
    assert.deepEqual(diags, []);
    assert.equal(started, 'Wed Jan 12 09:51:38 2022');
    assert.equal(ivs.length, 2);
    assert.equal(ivs[0]!.t, 1.001384374);
    assert.equal(ivs[0]!.dt, 1.001384374);
    assert.deepEqual(ivs[0]!.counters, { instructions: 15064353371, 'cpu-clock': 2001.895738, 'L1-icache-load-misses': 102301 });
    assert.deepEqual(ivs[0]!.running, { instructions: 10.96, 'cpu-clock': 100, 'L1-icache-load-misses': 8.04 });
    assert.ok(Math.abs(ivs[1]!.dt - (2.001896921 - 1.001384374)) < 1e-12);
  });

  it('reads the variance column that -r adds after the event name', () => {
    const { ivs, diags } = parse('     1.000694561,937494621,,instructions,0.00%,13386129,8.39,2.27,insn per cycle\n');
    assert.deepEqual(diags, []);
    assert.equal(ivs[0]!.counters['instructions'], 937494621);
    assert.equal(ivs[0]!.running['instructions'], 8.39);
  });

  it('lists <not counted> and <not supported> events apart from the counters', () => {
    const { ivs } = parse(`     0.500632547,0.77,msec,task-clock,774245,100.00,0.002,CPUs utilized
     0.500632547,<not supported>,,instructions,0,100.00,,
     0.500632547,<not counted>,,context-switches,0,100.00,,
`);
    assert.deepEqual(ivs[0]!.counters, { 'task-clock': 0.77 });
    assert.deepEqual(ivs[0]!.units, { 'task-clock': 'msec' });
    assert.deepEqual(ivs[0]!.unsupported, ['instructions']);
    assert.deepEqual(ivs[0]!.notCounted, ['context-switches']);
  });

  it('sums -A per-CPU lines and keeps the breakdown', () => {
    const { ivs } = parse(`     1.000,CPU0,100,,branches,1000,50.00,,
     1.000,CPU1,300,,branches,1000,100.00,,
     1.000,CPU0,2.5,msec,task-clock,1000,100.00,,
     1.000,CPU1,1.5,msec,task-clock,1000,100.00,,
`);
    const iv = ivs[0]!;
    assert.equal(iv.counters['branches'], 400);
    assert.equal(iv.running['branches'], 75);
    assert.equal(iv.counters['task-clock'], 4);
    assert.deepEqual(Object.keys(iv.breakdown!), ['CPU0', 'CPU1']);
    assert.equal(iv.breakdown!['CPU1']!.counters['branches'], 300);
  });

  it('reads --per-thread comm-pid prefixes, including names with dashes', () => {
    const { ivs } = parse(`     0.300350249,dpdk-testpmd-1079,12.5,msec,task-clock,12500000,100.00,,
     0.300350249,dpdk-testpmd-1080,<not counted>,msec,task-clock,0,100.00,,
     0.300350249,click-77,3.5,msec,task-clock,3500000,100.00,,
`);
    const iv = ivs[0]!;
    assert.equal(iv.counters['task-clock'], 16);
    assert.deepEqual(Object.keys(iv.breakdown!).sort(), ['click-77', 'dpdk-testpmd-1079', 'dpdk-testpmd-1080']);
    assert.deepEqual(iv.notCounted, [], 'counted on another thread, so not reported as not counted');
  });

  it('reads --per-core, --per-socket, --per-node and --per-cache ids with their CPU counts', () => {
    const { ivs, diags } = parse(`     0.300369417,S0-D0-C0,1,300.50,msec,task-clock,300502120,100.00,1.002,CPUs utilized
     0.300369417,S0-D0-C0,1,<not supported>,,cycles,0,100.00,,
     0.300369417,S0-D0-C1,1,300.54,msec,task-clock,300542020,100.00,1.002,CPUs utilized
     0.600369417,S0,2,601.04,msec,task-clock,601044140,100.00,2.004,CPUs utilized
     0.900369417,N0,2,601.04,msec,task-clock,601044140,100.00,2.004,CPUs utilized
     1.200369417,S0-D0-L3-ID0,2,601.04,msec,task-clock,601044140,100.00,2.004,CPUs utilized
`);
    assert.deepEqual(diags, []);
    assert.equal(ivs.length, 4);
    assert.equal(ivs[0]!.counters['task-clock'], 300.5 + 300.54);
    assert.deepEqual(ivs[0]!.unsupported, ['cycles']);
    assert.equal(ivs[0]!.breakdown!['S0-D0-C1']!.aggrCount, 1);
    assert.equal(ivs[1]!.breakdown!['S0']!.aggrCount, 2);
    assert.deepEqual(Object.keys(ivs[2]!.breakdown!), ['N0']);
    assert.deepEqual(Object.keys(ivs[3]!.breakdown!), ['S0-D0-L3-ID0']);
  });

  it('keeps a cgroup column apart from the event', () => {
    const { ivs, diags } = parse('     1.001,4242,,instructions,/system.slice/vpp.service,100000,100.00,0.50,insn per cycle\n');
    assert.deepEqual(diags, []);
    assert.equal(ivs[0]!.counters['instructions'], 4242);
  });

  it('rejoins PMU event names that contain the separator', () => {
    const { ivs, diags } = parse('     1.001,777,,cpu/event=0x3c,umask=0x00/,100000,50.00,,\n');
    assert.deepEqual(diags, []);
    assert.deepEqual(ivs[0]!.counters, { 'cpu/event=0x3c,umask=0x00/': 777 });
    assert.equal(ivs[0]!.running['cpu/event=0x3c,umask=0x00/'], 50);
  });

  it('detects other separators, and takes thousands separators when the separator is not a comma', () => {
    for (const sep of [';', '|', '\t', ':']) {
      const { ivs, diags } = parse(`     1.001${sep}15${sep}${sep}context-switches${sep}1000${sep}100.00${sep}${sep}\n     2.002${sep}3${sep}msec${sep}task-clock${sep}1000${sep}100.00${sep}${sep}\n`);
      assert.deepEqual(diags, [], `separator ${JSON.stringify(sep)}`);
      assert.equal(ivs.length, 2);
      assert.equal(ivs[0]!.counters['context-switches'], 15);
    }
    const { ivs } = parse('     1.001;15,064,353,371;;instructions;1000;100.00;;\n');
    assert.equal(ivs[0]!.counters['instructions'], 15064353371);
  });

  it('skips metric-only continuation lines without complaint', () => {
    const { ivs, diags } = parse(`     1.001,100,,cycles,1000,100.00,,
     1.001,,,,,,0.25,frontend cycles idle
`);
    assert.deepEqual(diags, []);
    assert.equal(ivs.length, 1);
  });

  it('handles CRLF line ends and a last line without newline', () => {
    const { ivs } = parse('     1.001,100,,cycles,1000,100.00,,\r\n     2.001,200,,cycles,1000,100.00,,');
    assert.deepEqual(ivs.map((i) => i.counters['cycles']), [100, 200]);
  });
});

describe('perf -j JSON layout', () => {
  it('reads perf 6.x keys, numbers given as strings, and aggregation keys', () => {
    const { ivs, diags } = parse(`{"interval" : 0.500652117, "counter-value" : "0.729298", "unit" : "msec", "event" : "task-clock", "event-runtime" : 729298, "pcnt-running" : 100.00, "metric-value" : 0.001459, "metric-unit" : "CPUs utilized"}
{"interval" : 0.500652117, "counter-value" : "<not supported>", "unit" : "", "event" : "instructions", "event-runtime" : 0, "pcnt-running" : 100.00, "metric-value" : 0.000000, "metric-unit" : ""}
{"interval" : 0.500652117, "counter-value" : "1234", "unit" : "", "event" : "branches", "event-runtime" : 729298, "pcnt-running" : 42.5, "metric-value" : "1.2", "metric-unit" : "M/sec"}
{"interval" : 0.500652117, "metric-value" : "3.14", "metric-unit" : "frontend cycles idle"}
{"interval" : 1.0, "socket" : "S0", "aggregate-number" : 2, "counter-value" : "600.985892", "unit" : "msec", "event" : "task-clock", "event-runtime" : 600984681, "pcnt-running" : 100.00}
{"interval" : 1.5, "cpu" : "3", "counter-value" : "10", "unit" : "", "event" : "page-faults", "pcnt-running" : 100.00}
{"interval" : 1.5, "cpu" : 5, "counter-value" : "20", "unit" : "", "event" : "page-faults", "pcnt-running" : 100.00}
{"interval" : 2.0, "thread" : "vpp_main-4242", "counter-value" : "7", "unit" : "", "event" : "page-faults", "pcnt-running" : 100.00}
`);
    assert.deepEqual(diags, []);
    assert.equal(ivs.length, 4);
    assert.deepEqual(ivs[0]!.counters, { 'task-clock': 0.729298, branches: 1234 });
    assert.equal(ivs[0]!.running['branches'], 42.5);
    assert.deepEqual(ivs[0]!.unsupported, ['instructions']);
    assert.equal(ivs[1]!.breakdown!['S0']!.aggrCount, 2);
    assert.equal(ivs[2]!.counters['page-faults'], 30);
    assert.deepEqual(Object.keys(ivs[2]!.breakdown!), ['CPU3', 'CPU5']);
    assert.deepEqual(Object.keys(ivs[3]!.breakdown!), ['vpp_main-4242']);
  });

  it('reports broken JSON with its line number and keeps the interval around it', () => {
    const { ivs, diags } = parse(`{"interval" : 1.0, "counter-value" : "5", "unit" : "", "event" : "a", "pcnt-running" : 100}
{"interval" : 1.0, "counter-value" : "5", "unit
{"interval" : 1.0, "counter-value" : "6", "unit" : "", "event" : "b", "pcnt-running" : 100}
`);
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.line, 2);
    assert.deepEqual(ivs[0]!.counters, { a: 5, b: 6 });
  });
});

describe('perf human-readable layout', () => {
  it('reads the default -I output, multiplexing percentages and the per-CPU column', () => {
    const { ivs, diags } = parse(`#           time             counts unit events
     0.300377771               0.61 msec task-clock                       #    0.002 CPUs utilized
     0.300377771                  2      context-switches                 #    3.265 K/sec
     0.300377771    <not supported>      instructions
     0.300377771     15,064,353,371      cycles                           #    2.48  GHz                    (10.96%)
     0.600833107      <not counted> msec task-clock
     0.900380844 CPU0                   300.50 msec task-clock                       #    1.002 CPUs utilized
     0.900380844 CPU1                   300.54 msec task-clock                       #    1.002 CPUs utilized
`);
    assert.deepEqual(diags, []);
    assert.equal(ivs.length, 3);
    assert.deepEqual(ivs[0]!.counters, { 'task-clock': 0.61, 'context-switches': 2, cycles: 15064353371 });
    assert.equal(ivs[0]!.running['cycles'], 10.96);
    assert.deepEqual(ivs[0]!.unsupported, ['instructions']);
    assert.deepEqual(ivs[1]!.notCounted, ['task-clock']);
    assert.ok(Math.abs(ivs[2]!.counters['task-clock']! - 601.04) < 1e-9);
  });
});

describe('bad input', () => {
  it('reports malformed lines with their numbers and never corrupts the interval around them', () => {
    const { ivs, diags } = parse(`     1.001,100,,cycles,1000,100.00,,
garbage here
     1.001,x,y
     1.001,50,,branches,1000,100.00,,
     2.001,200,,cycles,1000,100.00,,
`);
    assert.deepEqual(diags.map((d) => d.line), [2, 3]);
    assert.match(diags[0]!.message, /interval time|counter value/);
    assert.deepEqual(ivs.map((i) => i.counters), [{ cycles: 100, branches: 50 }, { cycles: 200 }]);
  });

  it('reports a line of garbage before the first counter line, even one shaped like a time and a comment', () => {
    // `0#` once passed as a human-layout metric line: perf pads before its `#` comments.
    const { ivs, diags } = parse(`0#
     1.001,100,,cycles,1000,100.00,,
     2.001,200,,cycles,1000,100.00,,
`);
    assert.deepEqual(diags.map((d) => d.line), [1]);
    assert.deepEqual(ivs.map((i) => i.counters['cycles']), [100, 200]);
  });

  it('refuses time going backwards without losing the current interval', () => {
    const { ivs, diags } = parse(`     2.0,100,,cycles,1000,100.00,,
     1.0,100,,cycles,1000,100.00,,
     3.0,300,,cycles,1000,100.00,,
`);
    assert.equal(diags.length, 1);
    assert.deepEqual(ivs.map((i) => i.t), [2, 3]);
  });
});
