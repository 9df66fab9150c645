import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseClickConfig } from '../../../src/core/config/click/clickParser.ts';
import type { ClickConfig } from '../../../src/core/config/click/clickTypes.ts';
import type { SourceRange } from '../../../src/core/config/sourceText.ts';

const fixture = (name: string) => readFileSync(resolve(__dirname, `../../fixtures/configs/fastclick/${name}`), 'utf8');
const slice = (text: string, r: SourceRange | undefined) => (r ? text.slice(r.start.offset, r.end.offset) : undefined);
const lc = (r: SourceRange | undefined) => (r ? `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}` : undefined);
const edges = (c: ClickConfig) => c.connections.map((x) => `${x.from}[${x.fromPort}]${x.arrow}[${x.toPort}]${x.to}`);

describe('Click parser on a 2-port DPDK L2 forwarder', () => {
  const text = fixture('l2fwd-2port.click');
  const c = parseClickConfig(text);

  it('reads it without diagnostics', () => {
    assert.deepEqual(c.diagnostics, []);
  });

  it('finds declared and anonymous elements with Click-style names and exact ranges', () => {
    assert.deepEqual(
      c.elements.map((e) => `${e.name}:${e.className}`),
      ['fd0:FromDPDKDevice', 'fd1:FromDPDKDevice', 'td0:ToDPDKDevice', 'td1:ToDPDKDevice', 'EtherRewrite@5:EtherRewrite', 'c0:AverageCounter', 'EtherRewrite@7:EtherRewrite', 'c1:AverageCounter', 'Script@9:Script'],
    );
    const fd0 = c.elements[0]!;
    assert.equal(lc(fd0.range), '9:1-9:76');
    assert.equal(slice(text, fd0.range), 'fd0 :: FromDPDKDevice($port0, N_QUEUES $queues, BURST $burst, PROMISC true)');
    assert.equal(lc(fd0.nameRange), '9:1-9:4');
    assert.equal(lc(fd0.classRange), '9:8-9:22');
    assert.equal(fd0.config, '$port0, N_QUEUES $queues, BURST $burst, PROMISC true');
    assert.deepEqual(
      fd0.args.map((a) => [a.keyword, a.value]),
      [
        [undefined, '$port0'],
        ['N_QUEUES', '$queues'],
        ['BURST', '$burst'],
        ['PROMISC', 'true'],
      ],
    );
    const rw = c.elements[4]!;
    assert.equal(rw.anonymous, true);
    assert.equal(lc(rw.range), '14:8-14:66');
    const c1 = c.elements.find((e) => e.name === 'c1')!;
    assert.equal(lc(c1.range), '17:70-17:90');
    assert.equal(c1.config, '');
    assert.equal(c1.configRange, undefined);
  });

  it('keeps comments out of arguments and parentheses inside strings out of the nesting', () => {
    const td1 = c.elements.find((e) => e.name === 'td1')!;
    assert.deepEqual(
      td1.args.map((a) => a.text),
      ['PORT $port1', 'BLOCKING true'],
    );
    const script = c.elements.find((e) => e.className === 'Script')!;
    assert.equal(lc(script.range), '19:1-22:13');
    assert.deepEqual(
      script.args.map((a) => a.text),
      ['TYPE ACTIVE', 'wait 1s', 'print "rx0 $(c0.link_rate) rx1 $(c1.link_rate)"', 'loop'],
    );
  });

  it('follows the chains, including one split over lines', () => {
    assert.deepEqual(edges(c), [
      'fd0[0]->[0]EtherRewrite@5',
      'EtherRewrite@5[0]->[0]c0',
      'c0[0]->[0]td1',
      'fd1[0]->[0]EtherRewrite@7',
      'EtherRewrite@7[0]->[0]c1',
      'c1[0]->[0]td0',
    ]);
    assert.equal(slice(text, c.connections[2]!.range), 'c0 :: AverageCounter\n    -> td1');
  });

  it('reads define and require', () => {
    assert.deepEqual(
      c.defines.map((d) => [d.name, d.value, slice(text, d.valueRange)]),
      [
        ['port0', '0000:03:00.0', '0000:03:00.0'],
        ['port1', '0000:03:00.1', '0000:03:00.1'],
        ['burst', '32', '32'],
        ['queues', '1', '1'],
      ],
    );
    assert.equal(lc(c.defines[1]!.range), '6:29-6:48');
    assert.equal(c.directives.length, 1);
    assert.equal(c.directives[0]!.kind, 'require');
    assert.deepEqual(
      c.directives[0]!.args.map((a) => [a.keyword, a.value]),
      [[undefined, 'package "fastclick"']],
    );
    assert.equal(lc(c.directives[0]!.range), '4:1-4:29');
  });

  it('lists the DPDK ports with the argument to annotate, resolved through define', () => {
    assert.deepEqual(
      c.devices.map((d) => [d.element, d.direction, d.kind, d.device, d.resolved, lc(d.deviceRange), slice(text, d.deviceRange)]),
      [
        ['fd0', 'rx', 'dpdk', '$port0', '0000:03:00.0', '9:23-9:29', '$port0'],
        ['fd1', 'rx', 'dpdk', '$port1', '0000:03:00.1', '10:28-10:34', '$port1'],
        ['td0', 'tx', 'dpdk', '$port0', '0000:03:00.0', '11:21-11:27', '$port0'],
        ['td1', 'tx', 'dpdk', '$port1', '0000:03:00.1', '12:26-12:32', '$port1'],
      ],
    );
  });
});

describe('Click parser on an IP router', () => {
  const text = fixture('ip-router.click');
  const c = parseClickConfig(text);

  it('reads it without diagnostics', () => {
    assert.deepEqual(c.diagnostics, []);
  });

  it('reads multi-line configuration strings with nested structure', () => {
    const rt = c.elements.find((e) => e.name === 'rt')!;
    assert.equal(rt.className, 'LookupIPRoute');
    assert.equal(lc(rt.range), '21:8-26:41');
    assert.deepEqual(
      rt.args.map((a) => a.text),
      ['10.0.0.1/32 0', '10.100.0.1/32 0', '10.0.0.0/24 1', '10.100.0.0/24 2', '255.255.255.255/32 0.0.0.0 0'],
    );
    const cls = c.elements.find((e) => e.name === 'c0')!;
    assert.deepEqual(
      cls.args.map((a) => a.text),
      ['12/0806 20/0001', '12/0806 20/0002', '12/0800', '-'],
    );
    assert.equal(c.elements.find((e) => e.name === 'ar0')!.className, 'ARPResponder');
  });

  it('connects ports on both sides', () => {
    const e = edges(c);
    for (const want of ['c0[1]->[0]arpt', 'arpt[0]->[1]arpq0', 'arpt[1]->[1]arpq1', 'rt[1]->[0]DropBroadcasts@26', 'fr0[0]->[0]arpq0', 'dt0[1]->[0]ICMPError@32', 'ICMPError@32[0]->[0]rt', 'in0[0]->[0]c0']) {
      assert.ok(e.includes(want), `missing ${want} in ${e.join(' ')}`);
    }
    assert.equal(e.length, 58); // 2 in Input, 4 on the IP path, 11 per port, 15 per forwarding path
    const arp = c.connections.find((x) => x.from === 'arpt' && x.toPort === 1)!;
    assert.equal(lc(arp.range), '37:1-37:20');
    assert.equal(slice(text, arp.range), 'arpt[0] -> [1]arpq0');
  });

  it('reads the elementclass, its formal and its body, and skips the comment holding -> and ()', () => {
    assert.deepEqual(
      c.elementClasses.map((k) => [k.name, k.formals, lc(k.range)]),
      [['Input', ['port'], '14:1-16:2']],
    );
    const inner = c.elements.filter((e) => e.compound === 'Input').map((e) => e.name);
    assert.deepEqual(inner, ['FromDPDKDevice@1', 'cnt']);
    assert.deepEqual(
      c.connections.filter((x) => x.compound === 'Input').map((x) => `${x.from}->${x.to}`),
      ['FromDPDKDevice@1->cnt', 'cnt->output'],
    );
    assert.equal(c.elements.filter((e) => e.className === 'AverageCounter' && e.compound === undefined).length, 0);
  });

  it('finds the devices, also through compound instances, pointing at the instance argument', () => {
    assert.deepEqual(
      c.devices.map((d) => [d.element, d.className, d.direction, d.device, d.resolved, slice(text, d.deviceRange), d.compound, d.instance]),
      [
        ['FromDPDKDevice@1', 'FromDPDKDevice', 'rx', '$port', undefined, '$port', 'Input', undefined],
        ['in0/FromDPDKDevice@1', 'FromDPDKDevice', 'rx', '$port', '0', '$IF0', undefined, 'in0'],
        ['in1/FromDPDKDevice@1', 'FromDPDKDevice', 'rx', '$port', '1', '$IF1', undefined, 'in1'],
        ['ToHost@6', 'ToHost', 'tx', '', '', undefined, undefined, undefined],
        ['ToDPDKDevice@10', 'ToDPDKDevice', 'tx', '$IF0', '0', '$IF0', undefined, undefined],
        ['ToDPDKDevice@20', 'ToDPDKDevice', 'tx', '$IF1', '1', '$IF1', undefined, undefined],
      ],
    );
    assert.equal(lc(c.devices[1]!.deviceRange), '32:14-32:18');
    assert.equal(lc(c.devices[1]!.range), '32:1-32:19');
  });
});

describe('Click parser on broken input', () => {
  const text = fixture('broken.click');
  const c = parseClickConfig(text);

  it('reports each problem with its line and column', () => {
    assert.deepEqual(
      c.diagnostics.map((d) => [d.severity, lc(d.range), d.message]),
      [
        ['error', '3:22-3:23', "unbalanced parentheses: '(' at 3:22 is never closed; the configuration string is read up to 3:34"],
        ['error', '6:1-6:2', "unbalanced braces: '}' has no matching '{'"],
        ['error', '7:19-7:20', "unbalanced braces: '{' of Pipe at 7:19 is never closed; its body is taken to end at line 9"],
      ],
    );
  });

  it('keeps parsing after each problem', () => {
    assert.deepEqual(
      c.elements.map((e) => `${e.name}:${e.className}${e.compound ? '@' + e.compound : ''}`),
      ['fd0:FromDPDKDevice', 'td1:ToDPDKDevice', 'Counter@3:Counter', 'Queue@1:Queue@Pipe', 'fd1:FromDPDKDevice', 'Discard@5:Discard'],
    );
    assert.deepEqual(c.elements[0]!.args.map((a) => a.text), ['0', 'BURST 32']);
    assert.deepEqual(edges(c), ['fd0[0]->[0]Counter@3', 'Counter@3[0]->[0]td1', 'input[0]->[0]Queue@1', 'Queue@1[0]->[0]output', 'fd1[0]->[0]Discard@5']);
    assert.deepEqual(
      c.devices.map((d) => d.element),
      ['fd0', 'td1', 'fd1'],
    );
  });
});

describe('Click syntax details', () => {
  it('reads port lists and ranges, and => connections', () => {
    const c = parseClickConfig('s :: Switch(0); q :: Queue;\ns[0, 1] => [0-1]q;\nFromDevice(eth1, SNIFFER false) -> [0]s;\n');
    assert.deepEqual(edges(c), ['s[0]=>[0]q', 's[1]=>[1]q', 'FromDevice@3[0]->[0]s']);
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(
      c.devices.map((d) => [d.className, d.device, d.kind]),
      [['FromDevice', 'eth1', 'kernel']],
    );
  });

  it('declares several elements at once', () => {
    const c = parseClickConfig('q0, q1 :: Queue(512);\nq0 -> Discard;\n');
    assert.deepEqual(
      c.elements.map((e) => [e.name, e.className, e.config]),
      [
        ['q0', 'Queue', '512'],
        ['q1', 'Queue', '512'],
        ['Discard@3', 'Discard', ''],
      ],
    );
  });

  it('reads implicit compound ports, overloads and keyword device arguments', () => {
    const text = `elementclass Out {
  $dev, $q |
  [0] -> ToNetmapDevice(DEVNAME $dev, QUEUE $q);
  input[1] -> Discard;
  || ...
}
o :: Out(netmap:eth2, 0);
FromNetmapDevice(netmap:eth1) -> o;
`;
    const c = parseClickConfig(text);
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(c.elementClasses[0]!.formals, ['dev', 'q']);
    assert.deepEqual(edges(c), ['input[0]->[0]ToNetmapDevice@1', 'input[1]->[0]Discard@2', 'FromNetmapDevice@2[0]->[0]o']);
    const viaInstance = c.devices.find((d) => d.instance === 'o')!;
    assert.equal(viaInstance.resolved, 'netmap:eth2');
    assert.equal(slice(text, viaInstance.deviceRange), 'netmap:eth2');
    const rx = c.devices.find((d) => d.className === 'FromNetmapDevice')!;
    assert.equal(rx.resolved, 'netmap:eth1');
  });

  it('reads FromDump/ToDump file names, unquoted', () => {
    const c = parseClickConfig('FromDump("/tmp/in.pcap", STOP true, TIMING false) -> ToDump(FILENAME /tmp/out.pcap);');
    assert.deepEqual(
      c.devices.map((d) => [d.className, d.kind, d.device, d.resolved]),
      [
        ['FromDump', 'pcap-file', '"/tmp/in.pcap"', '/tmp/in.pcap'],
        ['ToDump', 'pcap-file', '/tmp/out.pcap', '/tmp/out.pcap'],
      ],
    );
  });

  it('counts columns and lines the same with CRLF line ends', () => {
    const lf = 'fd :: FromDPDKDevice(0)\n  -> ToDPDKDevice(1);\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parseClickConfig(lf);
    const b = parseClickConfig(crlf);
    assert.deepEqual(
      b.elements.map((e) => lc(e.range)),
      a.elements.map((e) => lc(e.range)),
    );
    assert.equal(lc(b.devices[1]!.deviceRange), '2:19-2:20');
  });

  it('reports a port that is not a number and a missing bracket', () => {
    const c = parseClickConfig('c :: Classifier(-);\nc[x] -> Discard;\nc[1 -> Discard;\n');
    assert.deepEqual(
      c.diagnostics.map((d) => [lc(d.range), d.message]),
      [
        ['2:3-2:4', "port number should be an integer, found 'x'"],
        ['3:2-3:3', "unbalanced brackets: '[' at 3:2 is not closed by ']' (found '->')"],
      ],
    );
    assert.equal(c.connections.length, 2);
  });

  it('warns about an undeclared lower-case name and a redeclaration', () => {
    const c = parseClickConfig('a :: Counter;\na :: Queue;\nsrc -> a;\n');
    assert.deepEqual(
      c.diagnostics.map((d) => [d.severity, lc(d.range), d.message]),
      [
        ['error', '2:1-2:2', "redeclaration of element 'a' (previously declared at 1:1)"],
        ['warning', '3:1-3:4', "undeclared element 'src' (read as an element class; declare it before use)"],
      ],
    );
  });

  it('reports an unterminated comment and string without losing what came before', () => {
    const c = parseClickConfig('fd :: FromDPDKDevice(0) -> Print("oops) -> Discard;\n/* not closed');
    assert.equal(c.elements[0]!.name, 'fd');
    assert.deepEqual(
      c.diagnostics.map((d) => d.message),
      ["unbalanced parentheses: '(' at 1:33 is never closed; the configuration string is read up to 1:41", 'unterminated string: " at 1:34 is not closed on its line', "unterminated comment: '/*' at 2:1 is never closed"],
    );
    assert.deepEqual(edges(c), ['fd[0]->[0]Print@2', 'Print@2[0]->[0]Discard@3']);
  });

  it('never throws and keeps every range inside the text, whatever is cut out of a real config', () => {
    const text = fixture('ip-router.click');
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(40), (at, len) => {
        const mutated = text.slice(0, at) + text.slice(at + len);
        const c = parseClickConfig(mutated);
        for (const e of c.elements) {
          assert.ok(e.range.start.offset <= e.range.end.offset && e.range.end.offset <= mutated.length);
          if (!e.anonymous) assert.equal(slice(mutated, e.nameRange), e.name);
        }
        for (const d of c.diagnostics) assert.ok(d.range.end.offset <= mutated.length);
      }),
      { numRuns: 300 },
    );
  });
});
