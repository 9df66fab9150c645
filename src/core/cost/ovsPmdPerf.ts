/** One PMD thread's figures from `pmd-perf-show` (since the last `pmd-stats-clear`). */
export interface OvsPmdPerf {
  /** `pmd thread numa_id 0 core_id 1` or `main thread`. */
  thread: string;
  durationS?: number;
  iterations?: number;
  usedCycles?: number;
  /** Share of the used cycles spent in busy iterations (with packets), 0..1. */
  busyShare?: number;
  rxPackets?: number;
  kpps?: number;
  cyclesPerPacket?: number;
  txPackets?: number;
}

/**
 * Reads `ovs-appctl dpif-netdev/pmd-perf-show` (OVS's documented text: a
 * `Measurement duration: S s` line, then per PMD `pmd thread numa_id N core_id M:`
 * with `Iterations:`, `- Used TSC cycles:`, `- busy iterations: … (P % of used
 * cycles)`, `Rx packets: N (K Kpps, C cycles/pkt)`, `Tx packets: N (K Kpps)`).
 * Histograms and histories (without -nh) are skipped.
 */
export function parseOvsPmdPerfShow(text: string): OvsPmdPerf[] {
  const out: OvsPmdPerf[] = [];
  let duration: number | undefined;
  let cur: OvsPmdPerf | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const d = /^Measurement duration:\s*([\d.]+)\s*s/.exec(line);
    if (d) {
      duration = Number(d[1]);
      continue;
    }
    const head = /^(pmd thread .*|main thread):$/.exec(line);
    if (head) {
      cur = { thread: head[1]! };
      if (duration !== undefined) cur.durationS = duration;
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    let m: RegExpExecArray | null;
    if ((m = /^Iterations:\s*(\d+)/.exec(line))) cur.iterations = Number(m[1]);
    else if ((m = /^- Used TSC cycles:\s*(\d+)/.exec(line))) cur.usedCycles = Number(m[1]);
    else if ((m = /^- busy iterations:\s*\d+\s*\(\s*([\d.]+)\s*% of used cycles\)/.exec(line))) cur.busyShare = Number(m[1]) / 100;
    else if ((m = /^Rx packets:\s*(\d+)(?:\s*\(\s*([\d.]+)\s*Kpps,\s*([\d.]+)\s*cycles\/pkt\))?/.exec(line))) {
      cur.rxPackets = Number(m[1]);
      if (m[2] !== undefined) cur.kpps = Number(m[2]);
      if (m[3] !== undefined) cur.cyclesPerPacket = Number(m[3]);
    } else if ((m = /^Tx packets:\s*(\d+)/.exec(line))) cur.txPackets = Number(m[1]);
  }
  return out;
}

/** Cumulative cycles and packets of one PMD from `pmd-stats-show` (`avg cycles per packet: A (CYCLES/PACKETS)`). */
export interface OvsPmdTotals {
  thread: string;
  cycles: number;
  packets: number;
  processingCycles?: number;
}

export function parseOvsPmdStatsTotals(text: string): OvsPmdTotals[] {
  const out: OvsPmdTotals[] = [];
  let cur: OvsPmdTotals | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const head = /^(pmd thread .*|main thread):$/.exec(line);
    if (head) {
      cur = { thread: head[1]!, cycles: 0, packets: 0 };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    let m: RegExpExecArray | null;
    if ((m = /^avg cycles per packet:\s*[\d.]+\s*\((\d+)\/(\d+)\)/.exec(line))) {
      cur.cycles = Number(m[1]);
      cur.packets = Number(m[2]);
    } else if ((m = /^avg processing cycles per packet:\s*[\d.]+\s*\((\d+)\/(\d+)\)/.exec(line))) cur.processingCycles = Number(m[1]);
  }
  return out;
}

/** Cycles per packet per PMD between two `pmd-stats-show` readings (null without packets; a clear restarts the count). */
export function ovsPmdDeltas(before: readonly OvsPmdTotals[], after: readonly OvsPmdTotals[]): { thread: string; packets: number; cycles: number; cyclesPerPacket: number | null }[] {
  const prev = new Map(before.map((t) => [t.thread, t]));
  return after.flatMap((t) => {
    const p = prev.get(t.thread);
    if (!p || t.cycles < p.cycles || t.packets < p.packets) return [];
    const packets = t.packets - p.packets;
    const cycles = t.cycles - p.cycles;
    return [{ thread: t.thread, packets, cycles, cyclesPerPacket: packets > 0 ? cycles / packets : null }];
  });
}
