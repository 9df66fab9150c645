import { createKernels, type Kernels } from './kernels.ts';

/** Where a scenario index's rows and scratch sit in the kernels' memory (byte offsets). */
export interface ScenarioKernelLayout {
  k: Kernels;
  runLo: number;
  runHi: number;
  runPairs: number;
  centroids: number;
  quads: number;
  chunks: number;
  z: number;
  zq: number;
  inv: number;
  invq: number;
  bounds: number;
  dots: number;
  sums: number;
  /** i32 arrays for scanBest: each run's first chunk and first prototype (runs + 1 each), each prototype's label. */
  runChunk: number;
  runStart: number;
  labels: number;
  /** Where scanBest leaves the best distance. */
  result: number;
}

/** The arrays of a ScenarioIndex the kernels' copy is laid out from (see ScenarioIndex). */
export interface ScenarioRows {
  d: number;
  scenarios: number;
  runs: number;
  runStart: Int32Array;
  runChunk: Int32Array;
  protoLabel: Int32Array;
  protos: Float64Array;
  invScale: Float64Array;
  /** Event-major run ranges (k · runs + r). */
  runLo: Float64Array;
  runHi: Float64Array;
  centroids: Float64Array;
}

/** Copies the index's rows into the kernels' memory in their layout; undefined without the kernels. */
export function layScenarioKernels(ix: ScenarioRows): ScenarioKernelLayout | undefined {
  const { runs } = ix;
  const k = createKernels();
  if (!k) return undefined;
  const d = ix.d;
  const runPairs = Math.ceil(runs / 2);
  const quads = Math.ceil(ix.scenarios / 4);
  const chunkCount = ix.runChunk[runs]!;
  let longestRun = 0;
  for (let r = 0; r < runs; r++) longestRun = Math.max(longestRun, ix.runStart[r + 1]! - ix.runStart[r]!);
  const kl = {
    k,
    runLo: k.alloc(runPairs * d * 2),
    runHi: k.alloc(runPairs * d * 2),
    runPairs,
    centroids: k.alloc(quads * d * 4),
    quads,
    chunks: k.alloc(chunkCount * d * 4),
    z: k.alloc(d),
    zq: k.alloc(d),
    inv: k.alloc(d),
    invq: k.alloc(d),
    bounds: k.alloc(runPairs * 2),
    dots: k.alloc(quads * 4),
    sums: k.alloc(Math.ceil(longestRun / 4) * 4),
    // Two i32s per number allocated.
    runChunk: k.alloc(Math.ceil((runs + 1) / 2)),
    runStart: k.alloc(Math.ceil((runs + 1) / 2)),
    labels: k.alloc(Math.ceil(ix.protoLabel.length / 2)),
    result: k.alloc(1),
  };
  const f64 = k.f64;
  const i32 = new Int32Array(f64.buffer);
  i32.set(ix.runChunk, kl.runChunk / 4);
  i32.set(ix.runStart, kl.runStart / 4);
  i32.set(ix.protoLabel, kl.labels / 4);
  f64.set(ix.invScale, kl.inv / 8);
  // A run's prototypes in chunks of four, each event's four values side by side (see
  // rowSums4 in kernels.wat): +Infinity where there is none, so that its term is the cap.
  f64.fill(Infinity, kl.chunks / 8, kl.chunks / 8 + chunkCount * d * 4);
  for (let r = 0; r < runs; r++) {
    for (let p = ix.runStart[r]!; p < ix.runStart[r + 1]!; p++) {
      const j = p - ix.runStart[r]!;
      const c = ix.runChunk[r]! + (j >> 2);
      for (let e = 0; e < d; e++) {
        const v = ix.protos[p * d + e]!;
        // A scale too small to invert makes every term of its event the cap, as +Infinity does.
        if (v === v && Number.isFinite(ix.invScale[e]!)) f64[kl.chunks / 8 + (c * d + e) * 4 + (j & 3)] = v;
      }
    }
  }
  // Two runs per event side by side (an odd last run's partner is [0, 0], never read); a
  // range with no value (a scale too small to invert) is left [0, 0] too: a weaker bound.
  for (let r = 0; r < runs; r++) {
    for (let e = 0; e < d; e++) {
      const lo = ix.runLo[e * runs + r]!;
      const hi = ix.runHi[e * runs + r]!;
      const ok = lo <= hi;
      f64[kl.runLo / 8 + ((r >> 1) * d + e) * 2 + (r & 1)] = ok ? lo : 0;
      f64[kl.runHi / 8 + ((r >> 1) * d + e) * 2 + (r & 1)] = ok ? hi : 0;
    }
  }
  // Four centroids per event side by side; missing ones are 0 (their dot products are not read).
  for (let c = 0; c < ix.scenarios; c++) {
    for (let e = 0; e < d; e++) f64[kl.centroids / 8 + ((c >> 2) * d + e) * 4 + (c & 3)] = ix.centroids[c * d + e]!;
  }
  return kl;
}
