/**
 * Replay and infer throughput benchmark, judged on CPU time: `vnf-lens replay --format
 * jsonl` and `vnf-lens infer --format jsonl` (the built CLI, each in its own process,
 * start-up included) over a one-hour, 10 Hz, 31-event file (synthesized by repeating
 * the real intervals of a reference file), against Python's csv module doing the
 * parse-group-emit work of replay on the same file, and against the byte floor: a Node
 * loop that only reads the file, counts its newlines and writes it out, in the same run.
 * Each process's
 * user + system CPU time comes from the kernel's resource usage of that child (wait4),
 * so other load on a shared machine changes wall time but hardly the CPU ratios.
 * Memory: the same replay on a file ten times smaller peaks at about the same RSS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = process.cwd();
const source = resolve(root, '../shared/datasets/opennetvm-bridge/exp-2/bridge.csv');
const outDir = resolve(root, '.bench');
mkdirSync(outDir, { recursive: true });

function synthesize(path: string, intervals: number): number {
  if (existsSync(path)) return lineCount(path);
  const real = readFileSync(source, 'utf8').split('\n').filter((l) => /^\s*\d+\.\d+,/.test(l));
  const groups: string[][] = [];
  for (let i = 0; i + 31 <= real.length; i += 31) groups.push(real.slice(i, i + 31).map((l) => l.slice(l.indexOf(','))));
  const out: string[] = [];
  out.push('# started on Sun May 14 13:39:36 2023\n\n');
  let lines = 0;
  for (let k = 0; k < intervals; k++) {
    const t = ((k + 1) * 0.1).toFixed(9).padStart(17);
    for (const rest of groups[k % groups.length]!) {
      out.push(t + rest + '\n');
      lines++;
    }
  }
  writeFileSync(path, out.join(''));
  return lines;
}


function lineCount(path: string): number {
  return Number(execFileSync('wc', ['-l', path], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
}

interface Run {
  cpu: number;
  wall: number;
  maxRssMb: number;
}

/** Runs a command with stdout to /dev/null and reports its own CPU time (user + sys) and peak RSS, as wait4 gives them. */
const RUSAGE = `
import os, sys, time, json
start = time.monotonic()
pid = os.fork()
if pid == 0:
    fd = os.open('/dev/null', os.O_WRONLY)
    os.dup2(fd, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(json.dumps({"status": os.waitstatus_to_exitcode(status), "cpu": ru.ru_utime + ru.ru_stime, "wall": time.monotonic() - start, "maxRssMb": ru.ru_maxrss / 1024}))
`;

function measure(argv: string[]): Run {
  const r = spawnSync('python3', ['-c', RUSAGE, ...argv], { encoding: 'utf8' });
  const out = JSON.parse(r.stdout || '{}') as Run & { status?: number };
  if (r.status !== 0 || out.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return out;
}

const PYTHON_BASELINE = `
import csv, json, sys, time
path = sys.argv[1]
start = time.perf_counter()
out = open('/dev/null', 'w')
cur_t = None; counters = {}; running = {}; not_counted = []; unsupported = []; prev = None; n = 0
def emit():
    global n
    dt = cur_t - (prev if prev is not None else 0.0)
    out.write(json.dumps({"t": cur_t, "dt": dt, "counters": counters, "running": running, "notCounted": not_counted, "unsupported": unsupported}) + "\\n")
    n += 1
with open(path, newline='') as f:
    for row in csv.reader(f):
        if not row or row[0].startswith('#'):
            continue
        t = float(row[0])
        if t != cur_t:
            if cur_t is not None:
                emit(); prev = cur_t
            cur_t = t; counters = {}; running = {}; not_counted = []; unsupported = []
        v = row[1]; ev = row[3]
        if v == '<not counted>': not_counted.append(ev); continue
        if v == '<not supported>': unsupported.append(ev); continue
        counters[ev] = float(v)
        running[ev] = float(row[6] if row[4].endswith('%') else row[5])
if cur_t is not None:
    emit()
sys.stderr.write(json.dumps({"seconds": time.perf_counter() - start, "intervals": n}) + "\\n")
`;

/**
 * The byte floor: what any replay must at least do, in Node, for this file, with the
 * I/O replay itself uses. The file read in 128 KiB chunks into one buffer, every byte
 * looked at by a loop (counting newlines), every chunk written to stdout from a block
 * reused once written, waiting for stdout to drain.
 */
const BYTE_FLOOR = `
const { open } = require('node:fs/promises');
(async () => {
  const fh = await open(process.argv[1], 'r');
  const buf = Buffer.allocUnsafe(1 << 17);
  const free = [];
  let lines = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) lines++;
    const block = free.pop() ?? Buffer.allocUnsafe(1 << 20);
    buf.copy(block, 0, 0, bytesRead);
    if (!process.stdout.write(block.subarray(0, bytesRead), () => free.push(block))) await new Promise((r) => process.stdout.once('drain', r));
  }
  await fh.close();
  process.stderr.write(lines + ' lines\\n');
})();
`;

const cli = resolve(root, 'dist/cli.js');
const replay = (path: string) => measure([process.execPath, cli, 'replay', '--format', 'jsonl', path]);
const infer = (path: string) => measure([process.execPath, cli, 'infer', '--format', 'jsonl', path]);
const python = (path: string) => measure(['python3', '-c', PYTHON_BASELINE, path]);
const floor = (path: string) => measure([process.execPath, '-e', BYTE_FLOOR, path]);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function main(): void {
  const rounds = Math.max(1, Number(process.argv[2] ?? 3));
  const bigPath = resolve(outDir, 'hour-10hz-31ev.csv');
  const smallPath = resolve(outDir, 'six-minutes-10hz-31ev.csv');
  const bigLines = synthesize(bigPath, 36000);
  synthesize(smallPath, 3600);
  const mb = statSync(bigPath).size / 2 ** 20;
  console.log(`input: ${bigLines.toLocaleString('en')} perf lines (${mb.toFixed(0)} MiB), 36,000 intervals of 31 events at 10 Hz`);
  execFileSync(process.execPath, [resolve(root, 'scripts/build.mjs')], { stdio: 'ignore' });

  const small = replay(smallPath);
  type Kind = 'replay' | 'infer' | 'py' | 'floor';
  const runs: Record<Kind, Run>[] = [];
  for (let i = 0; i < rounds; i++) runs.push({ floor: floor(bigPath), replay: replay(bigPath), infer: infer(bigPath), py: python(bigPath) });
  const med = (k: Kind, f: 'cpu' | 'wall') => median(runs.map((r) => r[k][f]));
  // Ratios per round (each against the baseline run next to it), then their median.
  const ratio = (k: 'replay' | 'infer') => median(runs.map((r) => r.py.cpu / r[k].cpu));
  const overFloor = median(runs.map((r) => r.replay.cpu / r.floor.cpu));
  const line = (name: string, k: Kind) =>
    `${name.padEnd(42)} ${(bigLines / med(k, 'cpu') / 1e6).toFixed(2)} M lines per CPU s   CPU ${med(k, 'cpu').toFixed(2)} s   wall ${med(k, 'wall').toFixed(2)} s`;
  console.log(`median of ${rounds} rounds, each process's user + sys CPU time:`);
  console.log(line('vnf-lens replay --format jsonl', 'replay'));
  console.log(line('vnf-lens infer --format jsonl', 'infer'));
  console.log(line('Python csv baseline (parse + group + JSON)', 'py'));
  console.log(line('byte floor (read, count newlines, write)', 'floor'));
  console.log(`replay: ${overFloor.toFixed(2)}x the byte floor on CPU time (target <= 2x: ${overFloor <= 2 ? 'met' : 'NOT met'})`);
  const replayRate = bigLines / med('replay', 'cpu');
  console.log(`replay: ${ratio('replay').toFixed(2)}x Python on CPU time (target >= 3x: ${ratio('replay') >= 3 ? 'met' : 'NOT met'}); ${(replayRate / 1e6).toFixed(2)} M lines per CPU s (target >= 1: ${replayRate >= 1e6 ? 'met' : 'NOT met'})`);
  console.log(`infer:  ${ratio('infer').toFixed(2)}x Python on CPU time (target >= 3x: ${ratio('infer') >= 3 ? 'met' : 'NOT met'})`);
  const last = runs[runs.length - 1]!.replay;
  console.log(`replay peak RSS: ${small.maxRssMb.toFixed(0)} MiB on a 6-minute file, ${last.maxRssMb.toFixed(0)} MiB on the 1-hour file (${(last.maxRssMb / small.maxRssMb).toFixed(2)}x for 10x the input: streaming)`);
}

main();
