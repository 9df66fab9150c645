import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { cliArgs } from '../../support/cli.ts';

/**
 * Router-counter peers that misbehave in every way seen in the field, while a real
 * `vnf-lens record` runs on a real process: perf's intervals must all be there,
 * and every packet count written must be the true one. Each fake peer counts so
 * that an honest interval between two consecutive readings has known packets; a
 * count that bridged a bad reading, took a bad value or mistook a restart would
 * differ.
 */
const missing = missingBinaries('perf', 'python3');
const repo = resolve(__dirname, '../../..');
const INTERVAL_MS = 200;

interface Recorded {
  stderr: string;
  exitCode: number | undefined;
  wallMs: number;
  perfT: number[];
  packets: { t: number; rx: number; tx: number; dropped: number; rxBytes?: number }[];
  marks: string[];
}

/** Runs `vnf-lens record` on a `sleep` process with the given counters, and reads back what it wrote. */
async function record(out: string, counters: string, seconds: number): Promise<Recorded> {
  const target = spawn('sleep', ['300'], { stdio: 'ignore' });
  const untrack = track('sleep for perf to attach to', () => killQuietly(target.pid));
  try {
    const { execa } = await loadExeca();
    const started = Date.now();
    const r = await execa(process.execPath, cliArgs(['record', '--local', '--pid', String(target.pid), '--interval', String(INTERVAL_MS), '--events', 'task-clock', '--duration', String(seconds), '--counters', counters, '--out', out]), { cwd: repo, reject: false, stdin: 'ignore', timeout: 60_000 });
    const wallMs = Date.now() - started;
    const text = readFileSync(out, 'utf8');
    const directives = text
      .split('\n')
      .filter((l) => l.startsWith('#@vnf-lens '))
      .map((l) => JSON.parse(l.slice('#@vnf-lens '.length)) as Record<string, { t: number; text: string; rx: number; tx: number; dropped: number; rxBytes?: number }>);
    const { execa: ex } = await loadExeca();
    const replay = await ex(process.execPath, cliArgs(['replay', out, '--format', 'jsonl']), { cwd: repo, reject: false });
    assert.equal(replay.exitCode, 0, `replay of ${out} failed: ${replay.stderr}`);
    assert.doesNotMatch(replay.stderr, /packets|directive/, 'replay reads every packets line the recording has');
    const perfT = replay.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { t: number }).t);
    return {
      stderr: r.stderr,
      exitCode: r.exitCode,
      wallMs,
      perfT,
      packets: directives.filter((d) => d['packets']).map((d) => d['packets']!),
      marks: directives.filter((d) => d['mark']).map((d) => d['mark']!.text),
    };
  } finally {
    killQuietly(target.pid);
    untrack();
  }
}

/** perf's intervals are all there: none missing from start to end, and the session ended on time. */
function assertPerfComplete(r: Recorded, seconds: number): void {
  assert.equal(r.exitCode, 0, r.stderr);
  const expected = (seconds * 1000) / INTERVAL_MS;
  assert.ok(r.perfT.length >= expected - 3, `${r.perfT.length} perf intervals in ${seconds} s at ${INTERVAL_MS} ms (${r.stderr})`);
  for (let i = 1; i < r.perfT.length; i++) {
    const gap = r.perfT[i]! - r.perfT[i - 1]!;
    assert.ok(gap < (INTERVAL_MS / 1000) * 1.75, `perf intervals ${r.perfT[i - 1]} → ${r.perfT[i]}: one is missing`);
  }
  // Node, tsx, python3 and perf starting on a busy 2-core host take a few seconds; past --duration there is nothing to wait for.
  assert.ok(r.wallMs < seconds * 1000 + 12_000, `record took ${r.wallMs} ms for --duration ${seconds}`);
}

async function startTelemetry(socketPath: string, schedule: Record<number, string>): Promise<ChildProcess> {
  const p = spawn('python3', [join(repo, 'test/support/fakeTelemetry.py'), socketPath, JSON.stringify(schedule)], { stdio: ['ignore', 'pipe', 'inherit'] });
  track('fake telemetry server', () => killQuietly(p.pid));
  let said = '';
  for await (const chunk of p.stdout!) {
    said += String(chunk);
    if (said.includes('ready\n')) break;
  }
  return p;
}

/**
 * A fake Click ControlSocket. Reading r (one READ of in0.count) gives in0.count
 * 1000*(r - offset), in0.hw_dropped 10*(…), out0.count 900*(…), out0.dropped 0;
 * the other drop handlers do not exist (511), as in older FastClick.
 */
function startClick(schedule: Record<number, string>): Promise<Server> {
  let r = 0;
  let offset = 0;
  let hugeGreetingNext = false;
  const server = createServer((sock: Socket) => {
    sock.on('error', () => {});
    if (hugeGreetingNext) {
      // 2 MiB of greeting with no newline: the reader must give up well before the end.
      hugeGreetingNext = false;
      sock.write(Buffer.alloc(2 << 20, 'G'));
      return;
    }
    sock.write('Click::ControlSocket/1.3\r\n');
    let buf = '';
    let what: string | undefined;
    let n = 0;
    const data = (body: string) => sock.write(`200 Read handler OK\r\nDATA ${Buffer.byteLength(body)}\r\n${body}`);
    // One chunk at a time, in order, even while a silent reply waits.
    let queue = Promise.resolve();
    sock.on('data', (chunk) => {
      queue = queue.then(() => onData(chunk));
    });
    const onData = async (chunk: Buffer) => {
      buf += String(chunk);
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        const h = /^READ (\S+)$/.exec(line)?.[1];
        if (h === undefined) {
          sock.write('500 Syntax error\r\n');
          continue;
        }
        if (h === 'in0.count') {
          r++;
          what = schedule[r];
          if (what === 'restart') offset = r - 1;
          n = r - offset;
          if (what === 'silent') await new Promise((res) => setTimeout(res, 1500));
        }
        if (what === 'status500' && h.includes('.') && !h.endsWith('.class')) {
          sock.write('500 Something broke\r\n');
          continue;
        }
        if (h === 'list') data('2\nin0\nout0\n');
        else if (h === 'in0.class') data('FromDPDKDevice\n');
        else if (h === 'out0.class') data('ToDPDKDevice\n');
        else if (h === 'in0.count') {
          if (what === 'banana') data('banana\n');
          else if (what === 'negative') data('-5\n');
          else if (what === 'fraction') data(`${n * 1000}.5\n`);
          else if (what === 'digits400') data(`${'9'.repeat(400)}\n`);
          else if (what === 'data-huge') {
            // Says a gigabyte is coming and sends 2 MiB of it: the reader must not read it.
            sock.write('200 Read handler OK\r\nDATA 999999999\r\n');
            sock.write(Buffer.alloc(2 << 20, '7'));
            hugeGreetingNext = true;
          } else if (what === 'value-100mib') sock.write('200 Read handler OK\r\nDATA 104857600\r\n');
          else data(`${n * 1000}\n`);
        } else if (h === 'in0.hw_dropped') data(`${n * 10}\n`);
        else if (h === 'out0.count') data(`${n * 900}\n`);
        else if (h === 'out0.dropped') data('0\n');
        else sock.write(`511 No handler named '${h}'\r\n`);
      }
    };
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res(server)));
}

describe('router-counter peers that misbehave while a real record runs', { skip: missing }, () => {
  let dir: string;
  const runDir = `/var/run/dpdk/vnflens-peers-${process.pid}`;
  const servers: ChildProcess[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-peers-'));
    track('fake telemetry folder', () => rmSync(runDir, { recursive: true, force: true }));
  });

  after(() => {
    for (const s of servers) killQuietly(s.pid);
    rmSync(dir, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  });

  test('DPDK telemetry (SOCK_SEQPACKET): negative, huge, fractional, NaN, Infinity, 400-digit and text counts, a port missing, a port named by text, a 100 kB reply, a restart, a silence and a hang-up', async () => {
    const prefix = `vnflens-peers-${process.pid}`;
    mkdirSync(runDir, { recursive: true });
    // Three readings apart: after a bad one the next is a baseline, the one after it counts.
    const schedule = { 3: 'negative', 6: 'float-huge', 9: 'int-huge', 12: 'digits400', 15: 'fraction', 18: 'nan', 21: 'inf', 24: 'text', 27: 'restart', 30: 'missing-port', 34: 'port-text', 38: 'oversize', 42: 'silent', 45: 'hangup' };
    servers.push(await startTelemetry(`${runDir}/dpdk_telemetry.v2`, schedule));
    const seconds = 13;
    const r = await record(join(dir, 'telemetry.vnflens'), `dpdk:${prefix}`, seconds);
    assertPerfComplete(r, seconds);
    assert.ok(r.packets.length >= 5, `${r.packets.length} intervals with packets: the honest readings count (${r.stderr})`);
    for (const p of r.packets) assert.deepEqual({ rx: p.rx, tx: p.tx, dropped: p.dropped, rxBytes: p.rxBytes }, { rx: 2000, tx: 1800, dropped: 20, rxBytes: 128_000 }, `the interval ending at ${p.t}`);
    assert.ok(r.packets.length < r.perfT.length - 10, 'the intervals around each bad reading have no packets');
    assert.match(r.stderr, /port 0 ipackets is "-11000", not a count/);
    assert.match(r.stderr, /port 1 missing from the reading/);
    assert.match(r.stderr, /ipackets is "4e\+30", not a count/);
    assert.match(r.stderr, /imissed is "nan", not a count/);
    assert.match(r.stderr, /ipackets is "inf", not a count/);
    assert.match(r.stderr, /sent a reply over 20480 bytes/);
    assert.match(r.stderr, /\/ethdev\/list names port 'x', not a port id/);
    assert.match(r.stderr, /went down \(port 0 rx \d+000 → 1000/);
    assert.ok(r.marks.some((m) => /router counters restarted/.test(m)), `the restart is marked in the recording (${r.marks.join(' | ')})`);
    // A peer that hangs up is named as the router closing the socket (its exit or restart), and is read again after.
    assert.match(r.stderr, /router packet counters stopped \(DPDK telemetry .*dpdk_telemetry\.v2 was closed by the router \(it exited or is restarting\)\)/);
    assert.match(r.stderr.slice(r.stderr.indexOf('counters stopped')), /router packet counters back from/);
    assert.doesNotMatch(r.stderr, /helper failed|did not answer within 5000 ms/);
  });

  test('DPDK telemetry that accepts and never answers: one notice, and perf records on from the start', async () => {
    const prefix = `vnflens-peers-mute-${process.pid}`;
    const mute = `/var/run/dpdk/${prefix}`;
    mkdirSync(mute, { recursive: true });
    track('mute telemetry folder', () => rmSync(mute, { recursive: true, force: true }));
    try {
      servers.push(await startTelemetry(`${mute}/dpdk_telemetry.v2`, { 0: 'mute' }));
      const seconds = 4;
      const r = await record(join(dir, 'mute.vnflens'), `dpdk:${prefix}`, seconds);
      assertPerfComplete(r, seconds);
      assert.equal(r.packets.length, 0);
      const about = r.stderr.split('\n').filter((l) => /router packet counters/.test(l));
      assert.equal(about.length, 1, `one notice about the counters: ${about.join(' | ')}`);
      assert.match(about[0]!, /no router packet counters \(DPDK telemetry \(prefix [^)]+\): \/var\/run\/dpdk\/[^ ]+ did not answer within 5000 ms/);
    } finally {
      rmSync(mute, { recursive: true, force: true });
    }
  });

  test('Click ControlSocket (TCP): banana, negative, fractional and 400-digit counts, 500 on every read, DATA 999999999, a 2 MiB greeting, a 100 MiB value, a restart and a silence', async () => {
    const schedule = { 3: 'banana', 6: 'negative', 9: 'fraction', 12: 'digits400', 15: 'status500', 18: 'data-huge', 22: 'value-100mib', 26: 'restart', 29: 'silent' };
    const server = await startClick(schedule);
    try {
      const port = (server.address() as AddressInfo).port;
      const seconds = 10;
      const r = await record(join(dir, 'click.vnflens'), `click:${port}`, seconds);
      assertPerfComplete(r, seconds);
      assert.ok(r.packets.length >= 5, `${r.packets.length} intervals with packets (${r.stderr})`);
      for (const p of r.packets) assert.deepEqual({ rx: p.rx, tx: p.tx, dropped: p.dropped }, { rx: 1000, tx: 900, dropped: 10 }, `the interval ending at ${p.t}`);
      assert.match(r.stderr, /handler in0\.count answered "banana", not a count/);
      assert.match(r.stderr, /handler in0\.count answered "-5", not a count/);
      assert.match(r.stderr, /handler in0\.count failed: "500 Something broke"/);
      assert.match(r.stderr, /announced DATA 999999999, over the 1048576 bytes read/);
      assert.match(r.stderr, /sent a line over 4096 bytes/);
      assert.match(r.stderr, /went down \(port in0 rx \d+000 → 1000/);
    } finally {
      server.close();
      await once(server, 'close').catch(() => {});
    }
  });
});
