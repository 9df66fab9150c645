// Tests that guard meaning, proved: each change below alters what the code means
// (a verdict, a fit, a gate, a delta, a number read), and at least one of the unit
// tests named beside it must fail when it is made. The changes are applied one at a
// time to a copy of the repository in a temporary folder (removed afterwards), never
// to this one. Prints a table; exits non-zero when a change survives, when a change
// no longer finds its text (the code moved: update the list), or when the tests fail
// before any change. Not part of `npm test`: `npm run mutations`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { MUTATIONS, type Mutation } from './mutationList.ts';

const root = resolve(__dirname, '..');
const PER_RUN_MS = 600_000;

/** The repository as it is in the work tree (tracked and new files, not ignored ones), node_modules linked, ../shared linked. */
function copyRepo(): { base: string; repo: string } {
  const base = mkdtempSync(join(tmpdir(), 'vnf-lens-mutations-'));
  const repo = join(base, 'repo');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files in ${root} failed: ${listed.stderr}`);
  for (const f of new Set(listed.stdout.split('\0').filter((x) => x !== ''))) {
    const to = join(repo, f);
    mkdirSync(dirname(to), { recursive: true });
    try {
      copyFileSync(join(root, f), to);
    } catch (e) {
      // A tracked file deleted in the work tree is not part of the copy.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  symlinkSync(resolve(root, 'node_modules'), join(repo, 'node_modules'));
  // The tests find the reference data beside the repository.
  symlinkSync(resolve(root, '..', 'shared'), join(base, 'shared'));
  return { base, repo };
}

interface Run {
  failed: boolean;
  timedOut: boolean;
  summary: string;
}

function runTests(repo: string, files: readonly string[]): Run {
  const r = spawnSync('node', ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...files], {
    cwd: repo,
    encoding: 'utf8',
    timeout: PER_RUN_MS,
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  const fail = /^# fail (\d+)/m.exec(out)?.[1];
  const pass = /^# pass (\d+)/m.exec(out)?.[1];
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  const failing = [...out.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]!.trim());
  const summary = timedOut ? `timed out after ${PER_RUN_MS / 1000} s` : `${pass ?? '?'} passed, ${fail ?? '?'} failed${failing.length ? `: ${failing[0]}` : ''}`;
  return { failed: r.status !== 0, timedOut, summary };
}

/** Applies one change to the copy; throws, naming it, when its text is not there exactly once. */
function apply(repo: string, m: Mutation): () => void {
  const file = join(repo, m.file);
  const before = readFileSync(file, 'utf8');
  const at = before.indexOf(m.find);
  if (at < 0) throw new Error(`mutation "${m.name}": ${m.file} no longer contains ${JSON.stringify(m.find)}: update scripts/mutationList.ts`);
  if (before.indexOf(m.find, at + 1) >= 0) throw new Error(`mutation "${m.name}": ${JSON.stringify(m.find)} occurs more than once in ${m.file}: make it unique`);
  writeFileSync(file, before.slice(0, at) + m.replace + before.slice(at + m.find.length));
  return () => writeFileSync(file, before);
}

function main(): number {
  const only = process.argv.slice(2);
  const chosen = only.length ? MUTATIONS.filter((m) => only.some((o) => m.name.includes(o))) : MUTATIONS;
  if (chosen.length === 0) throw new Error(`no mutation matches ${only.join(', ')}`);
  const { base, repo } = copyRepo();
  try {
    // Every text must be found before anything runs: a list that rotted fails at once.
    for (const m of chosen) apply(repo, m)();
    const all = [...new Set(chosen.flatMap((m) => m.tests))].sort();
    const baseline = runTests(repo, all);
    if (baseline.failed) {
      console.error(`the tests fail before any change (${baseline.summary}): fix them first`);
      return 2;
    }
    console.log(`baseline: ${all.length} test files, ${baseline.summary}\n`);
    const rows: [string, string, string][] = [];
    for (const m of chosen) {
      const undo = apply(repo, m);
      const r = runTests(repo, m.tests);
      undo();
      const verdict = r.failed ? (r.timedOut ? 'killed (timeout)' : 'killed') : 'SURVIVED';
      rows.push([m.name, m.tests.map((t) => t.replace(/^test\/unit\//, '')).join(' '), `${verdict} (${r.summary})`]);
      console.log(`${verdict.padEnd(16)} ${m.name}`);
    }
    const w0 = Math.max(...rows.map((r) => r[0].length), 6);
    const w1 = Math.max(...rows.map((r) => r[1].length), 9);
    console.log(`\n${'change'.padEnd(w0)} | ${'tests run'.padEnd(w1)} | result`);
    console.log(`${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+-------`);
    for (const r of rows) console.log(`${r[0].padEnd(w0)} | ${r[1].padEnd(w1)} | ${r[2]}`);
    const survived = rows.filter((r) => r[2].startsWith('SURVIVED')).length;
    console.log(`\n${rows.length - survived} of ${rows.length} changes killed${survived ? `, ${survived} SURVIVED` : ''}`);
    return survived > 0 ? 1 : 0;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 2;
}
