/**
 * CLI start-up cost: CPU seconds (user + sys, from the shell's rusage of the child)
 * of the shipped bundles (dist/cli.js, which loads the command's own dist/cli/NAME.js)
 * for commands that do almost no work, against `node -e 0` in the same run. Judged on
 * CPU time, which a busy shared machine disturbs far less than wall time. Run
 * `npm run build` first.
 *
 *   npm run bench:startup -- [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(args.runs);
const root = process.cwd();
const cli = resolve(root, 'dist/cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
const dir = resolve(root, '.bench');
mkdirSync(dir, { recursive: true });
const oneInterval = resolve(dir, 'one-interval.csv');
writeFileSync(oneInterval, '1.000,1000.00,msec,task-clock,1000000,100.00,,\n1.000,5000,,context-switches,1000000,100.00,,\n');

const TARGET_S = 0.15;

/** Median CPU seconds (user + sys) and wall seconds of `argv`, from bash's `time` (getrusage of the child). */
function measure(argv: string[]): { cpu: number; wall: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; { time ${quoted} >/dev/null 2>&1 ; } 2>&1`], { encoding: 'utf8' });
    const [real, user, sys] = r.stdout.trim().split(/\s+/).slice(-3).map(Number) as [number, number, number];
    cpu.push(user + sys);
    wall.push(real);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { cpu: median(cpu), wall: median(wall) };
}

const node = process.execPath;
const base = measure([node, '-e', '0']);
console.log(`CLI start-up, median of ${runs} runs each, CPU = user + sys of the process (target < ${TARGET_S} s CPU)\n`);
console.log(`${'command'.padEnd(48)} ${'CPU s'.padStart(7)} ${'wall s'.padStart(7)} ${'CPU over node -e 0'.padStart(19)}  verdict`);
console.log(`${'node -e 0 (baseline)'.padEnd(48)} ${base.cpu.toFixed(3).padStart(7)} ${base.wall.toFixed(3).padStart(7)} ${''.padStart(19)}`);
let failed = false;
const cases: [string, string[], boolean][] = [
  ['vnf-lens --help', ['--help'], true],
  ['vnf-lens replay one-interval.csv', ['replay', oneInterval], true],
  ['vnf-lens replay --format jsonl one-interval.csv', ['replay', '--format', 'jsonl', oneInterval], false],
  ['vnf-lens infer one-interval.csv (loads a model)', ['infer', oneInterval], false],
  ['vnf-lens infer --format jsonl one-interval.csv', ['infer', '--format', 'jsonl', oneInterval], false],
  ['vnf-lens serve --help', ['serve', '--help'], false],
];
for (const [name, argv, judged] of cases) {
  const m = measure([node, cli, ...argv]);
  const ok = m.cpu < TARGET_S;
  if (judged && !ok) failed = true;
  console.log(`${name.padEnd(48)} ${m.cpu.toFixed(3).padStart(7)} ${m.wall.toFixed(3).padStart(7)} ${`+${(m.cpu - base.cpu).toFixed(3)}`.padStart(19)}  ${judged ? (ok ? 'met' : 'NOT met') : '(shown)'}`);
}
process.exitCode = failed ? 1 : 0;
