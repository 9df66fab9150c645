import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { intervalPacketMetrics } from '../../../src/core/fingerprint/packetMetrics.ts';
import { createInferenceEngine, type Inference } from '../../../src/core/inference/engine.ts';
import type { Model } from '../../../src/core/model/model.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { parsePerfText, readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { batchForPanel, toFrame } from '../../../src/core/ui/frames.ts';
import type { Frame } from '../../../src/protocol.ts';

export interface Replayed {
  frames: Frame[];
  inferences: Inference[];
}

/** Intervals through the real core, as the extension does: fingerprint -> inference engine -> frame. */
export function framesOf(intervals: Interval[], model: Model, stream?: string): Replayed {
  const engine = createInferenceEngine(model);
  const frames: Frame[] = [];
  const inferences: Inference[] = [];
  for (const iv of intervals) {
    const fp = fingerprint(iv);
    if (stream !== undefined) fp.stream = stream;
    const inf = engine.next(fp);
    inferences.push(inf);
    frames.push(toFrame(fp, inf, { similarities: true, packets: intervalPacketMetrics(iv, fp) }));
  }
  return { frames, inferences };
}

/** One run of a recording (e.g. `5000-64` of the paper's wide CSV), or the whole file. */
export async function replay(file: string, model: Model, opts: { run?: string; stream?: string } = {}): Promise<Replayed> {
  const all = await readAllIntervals(file);
  const ivs = opts.run === undefined ? all : all.filter((iv) => iv.run === opts.run);
  if (ivs.length === 0) throw new Error(`${file} has no intervals${opts.run ? ` for run ${opts.run}` : ''}`);
  return framesOf(ivs, model, opts.stream);
}

/** Batches as the extension sends them: consecutive frames, similarities on the newest only. */
export function batches(frames: Frame[], size: number): Frame[][] {
  const out: Frame[][] = [];
  for (let i = 0; i < frames.length; i += size) out.push(batchForPanel(frames.slice(i, i + size)));
  return out;
}

const run = promisify(execFile);

/**
 * Real `perf stat` on this machine, attached to a short busy process: the hardware
 * events come back `<not supported>` where the host has no PMU (this one, most VMs).
 */
export async function hostPerfIntervals(
  events = 'instructions,cycles,branches,branch-misses,cache-references,cache-misses,L1-dcache-load-misses,dTLB-stores,iTLB-loads,task-clock,context-switches,page-faults,cpu-migrations',
): Promise<{ text: string; intervals: Interval[] }> {
  const busy = 'const end = Date.now() + 1200; const a = []; while (Date.now() < end) { a.push(new Array(64).fill(Math.random())); if (a.length > 5e4) a.length = 0; }';
  const { stderr } = await run('perf', ['stat', '-x,', '-I', '100', '-e', events, '--', process.execPath, '-e', busy], { encoding: 'utf8' });
  return { text: stderr, intervals: parsePerfText(stderr) };
}
