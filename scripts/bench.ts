/**
 * Replay throughput benchmark: parse + fingerprint + JSONL out over a one-hour, 10 Hz,
 * 31-event recording (synthesized by repeating the real intervals of a reference file),
 * against Python's csv module doing the same parse-group-emit work on the same file in
 * the same run. Also shows that memory stays flat: the same pipeline on a file ten
 * times smaller peaks at about the same RSS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSync } from 'esbuild';

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

/** Runs the bundled pipeline in a fresh process: what users run, timed on its own. */
function nodePipeline(bundle: string, path: string): { seconds: number; intervals: number; peakRssMb: number } {
  const r = spawnSync(process.execPath, [bundle, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`replay pipeline failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { seconds: number; intervals: number; peakRssMb: number };
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
print(json.dumps({"seconds": time.perf_counter() - start, "intervals": n}))
`;

function python(path: string): { seconds: number; intervals: number } {
  const r = spawnSync('python3', ['-c', PYTHON_BASELINE, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python baseline failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { seconds: number; intervals: number };
}

async function main(): Promise<void> {
  const bigPath = resolve(outDir, 'hour-10hz-31ev.csv');
  const smallPath = resolve(outDir, 'six-minutes-10hz-31ev.csv');
  const bigLines = synthesize(bigPath, 36000);
  synthesize(smallPath, 3600);
  const mb = statSync(bigPath).size / 2 ** 20;
  console.log(`input: ${bigLines.toLocaleString('en')} perf lines (${mb.toFixed(0)} MiB), 36,000 intervals of 31 events at 10 Hz`);

  const bundle = resolve(outDir, 'replay-pipeline.cjs');
  buildSync({ entryPoints: [resolve(root, 'scripts/bench-replay-pipeline.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const small = nodePipeline(bundle, smallPath);
  const rounds: { node: number; py: number }[] = [];
  let last = small;
  for (let i = 0; i < 3; i++) {
    last = nodePipeline(bundle, bigPath);
    const py = python(bigPath);
    if (py.intervals !== last.intervals) throw new Error(`interval counts differ: node ${last.intervals}, python ${py.intervals}`);
    rounds.push({ node: last.seconds, py: py.seconds });
  }
  const best = (xs: number[]) => Math.min(...xs);
  const nodeRate = bigLines / best(rounds.map((r) => r.node));
  const pyRate = bigLines / best(rounds.map((r) => r.py));
  console.log(`VNF Lens replay (parse + fingerprint + JSONL): ${(nodeRate / 1e6).toFixed(2)} M lines/s  (best of 3: ${best(rounds.map((r) => r.node)).toFixed(2)} s)`);
  console.log(`Python csv baseline (parse + group + JSON):     ${(pyRate / 1e6).toFixed(2)} M lines/s  (best of 3: ${best(rounds.map((r) => r.py)).toFixed(2)} s)`);
  console.log(`ratio: ${(nodeRate / pyRate).toFixed(2)}x the Python baseline (target >= 3x); throughput target >= 1 M lines/s: ${nodeRate >= 1e6 ? 'met' : 'NOT met'}`);
  console.log(`peak RSS: ${small.peakRssMb.toFixed(0)} MiB on a 6-minute file, ${last.peakRssMb.toFixed(0)} MiB on the 1-hour file (${(last.peakRssMb / small.peakRssMb).toFixed(2)}x for 10x the input: streaming)`);
}

void main();
