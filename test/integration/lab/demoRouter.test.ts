import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { missingBinaries } from '../../support/binaries.ts';
import { track } from '../../support/cleanup.ts';
import { repoRoot } from '../../support/paths.ts';

const missing = missingBinaries('dpdk-testpmd', 'python3') ?? (process.getuid?.() !== 0 ? 'needs root (taps, raw socket)' : !existsSync('/dev/net/tun') ? 'needs /dev/net/tun' : undefined);
const script = join(repoRoot, 'scripts', 'lab', 'demo-router.sh');
const check = join(repoRoot, 'scripts', 'lab', 'demo-check.py');

interface Demo {
  child: ChildProcess;
  prefix: string;
  tapIn: string;
  router: Promise<number>;
  err(): string;
}

/** One demo router (scripts/lab/demo-router.sh) with this test's own prefix and tap names. */
function startDemo(name: string, prefix = `vnflens-demo-${process.pid}-${name}`): Demo {
  const logs = mkdtempSync(join(tmpdir(), `vnflens-demo-${name}-`));
  const tapIn = `vd${process.pid}${name}i`;
  const child = spawn('bash', [script, logs, prefix, '0:60', tapIn, `vd${process.pid}${name}o`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const untrack = track(`demo router ${name}`, () => child.kill('SIGTERM'), { kind: 'process', pid: child.pid! });
  child.on('exit', () => {
    untrack();
    rmSync(logs, { recursive: true, force: true });
  });
  const router = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', () => /^\d+$/m.test(out) && resolve(Number(/^(\d+)$/m.exec(out)![1])));
    child.on('exit', (code) => reject(new Error(`demo router ${name} exited (${code}): ${err}`)));
  });
  router.catch(() => undefined);
  return { child, prefix, tapIn, router, err: () => err };
}

function alive(d: Demo, pid: number): { ok: boolean; text: string } {
  const r = spawnSync('python3', [check, String(pid), d.prefix, d.tapIn, '--timeout=15'], { encoding: 'utf8' });
  return { ok: r.status === 0, text: (r.stdout + r.stderr).trim() };
}

describe('two demo routers side by side (scripts/lab/demo-router.sh)', { skip: missing, timeout: 120_000 }, () => {
  const demos: Demo[] = [];
  after(() => {
    for (const d of demos) if (d.child.exitCode === null) d.child.kill('SIGTERM');
  });

  test('each has its own prefix and taps; a clash is refused; stopping one leaves the other whole', async () => {
    const a = startDemo('a');
    const b = startDemo('b');
    demos.push(a, b);
    const [pa, pb] = await Promise.all([a.router, b.router]);
    const ca = alive(a, pa);
    const cb = alive(b, pb);
    assert.ok(ca.ok, ca.text);
    assert.ok(cb.ok, cb.text);
    assert.match(ca.text, /router alive: pid \d+, telemetry at .* answers, port 0 counted \d+ probe packets/);

    // A third on A's prefix says so and stops, without touching A.
    const clash = startDemo('c', a.prefix);
    demos.push(clash);
    // Refused before testpmd starts (the prefix's lock is held), or in testpmd's own words.
    await assert.rejects(clash.router, /prefix .* is in use by another process|Cannot create lock/);
    assert.ok(alive(a, pa).ok, 'A still answers after the clash');

    // Stopping B (as Ctrl-C of its npm start does) ends its testpmd within 2 s and removes only its runtime folder.
    const t0 = Date.now();
    b.child.kill('SIGTERM');
    while (existsSync(`/proc/${pb}`) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    const took = (Date.now() - t0) / 1000;
    assert.ok(took <= 2, `B's testpmd ended ${took.toFixed(2)} s after SIGTERM`);
    for (let i = 0; i < 50 && b.child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!existsSync(`/var/run/dpdk/${b.prefix}`), "B's DPDK runtime folder is removed");
    assert.ok(existsSync(`/var/run/dpdk/${a.prefix}`), "A's is still there");
    const again = alive(a, pa);
    assert.ok(again.ok, `A still counts packets after B stopped: ${again.text}`);
    process.stdout.write(`# demo router B ended ${took.toFixed(2)} s after SIGTERM; A: ${again.text}\n`);
  });
});
