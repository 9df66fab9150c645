/**
 * What element-cost sampling costs at the default rate: the cost router (busy, one
 * thread) sampled by the CostSampler loop with its defaults (perf record -e cpu-clock
 * -F 99, 10 s windows, 2 % budget) for a few windows, then once more without the
 * budget (windows back to back). perf's CPU is measured on the host by the sampler
 * (user + system time of perf record and perf script, from `times`).
 *
 *   node --import tsx scripts/bench-cost.ts [WINDOWS]
 */
import { CostSampler, type CostWindow } from '../src/core/cost/costSampler.ts';
import { LocalHost } from '../src/core/host/localHost.ts';
import { startCostRouter } from '../test/support/costRouter.ts';

async function loop(host: LocalHost, pid: number, windows: number, budget: number, elements: () => { name: string; className: string }[]): Promise<{ ws: CostWindow[]; wallMs: number }> {
  const ws: CostWindow[] = [];
  const started = Date.now();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const s = new CostSampler({ host, pid, budget, elements, onWindow: (w) => { ws.push(w); if (ws.length >= windows) done(); }, onNotice: (m) => { console.error(m); done(); } });
  s.start();
  await finished;
  await s.stop();
  return { ws, wallMs: Date.now() - started };
}

function summary(what: string, r: { ws: CostWindow[]; wallMs: number }): void {
  const cpu = r.ws.map((w) => w.perfCpuMs ?? NaN);
  const total = cpu.reduce((a, x) => a + x, 0);
  const last = r.ws[r.ws.length - 1]!;
  console.log(`${what}: ${r.ws.length} windows of ${last.windowS} s at ${last.frequencyHz} Hz; perf CPU per window ${cpu.map((x) => x.toFixed(0)).join(', ')} ms (mean ${(total / cpu.length).toFixed(0)} ms); samples per window ${r.ws.map((w) => w.report.samples).join(', ')}; perf's share of one CPU over the loop ${((last.perfShare ?? NaN) * 100).toFixed(2)} %`);
}

void (async () => {
  const windows = Number(process.argv[2] ?? 4);
  const host = new LocalHost({ kind: 'local' });
  await host.connect();
  const router = await startCostRouter();
  try {
    summary('default (2 % budget)', await loop(host, router.pid, windows, 0.02, () => router.elements));
    summary('no budget (back to back)', await loop(host, router.pid, windows, 1, () => router.elements));
  } finally {
    await router.stop();
    await host.close();
  }
})();
