import { readFileSync } from 'node:fs';
import { readMoonGenLoss } from '../../src/core/calibration/moongenLoss.ts';
import type { Interval } from '../../src/core/perf/interval.ts';
import { readAllIntervals } from '../../src/core/source/readIntervals.ts';
import { dataset } from './paths.ts';

export interface BridgeSecond {
  iv: Interval;
  /** Packets MoonGen offered to the bridge in that second. */
  offered: number;
  /** MoonGen's own RX Mbit/s column (L2, without framing). */
  mbit: number;
}

/**
 * A real run with real packet counts: the OpenNetVM bridge (perf intervals, PMU counted)
 * with each second's packets from MoonGen. What came back was received and forwarded by
 * the bridge; the rest of what was offered was dropped. `run` is one of `128B`, `exp-2`, `exp-7`.
 */
export async function bridgeWithPackets(run = '128B'): Promise<BridgeSecond[]> {
  const dir = dataset('opennetvm-bridge', run);
  const ivs = await readAllIntervals(`${dir}/bridge.csv`);
  const loss = await readMoonGenLoss(`${dir}/tx_stats.csv`, `${dir}/rx_stats.csv`);
  const bytes = moonGenRxBytes(`${dir}/rx_stats.csv`);
  const n = Math.min(ivs.length, loss.length);
  return loss.slice(0, n).map((l, i) => ({
    iv: { ...ivs[i]!, packets: { rx: l.received, tx: l.received, dropped: Math.max(0, l.offered - l.received), rxBytes: bytes[i]!.bytes, source: 'moongen' } },
    offered: l.offered,
    mbit: bytes[i]!.mbit,
  }));
}

/** MoonGen's per-second RX byte increases and its Mbit column. */
function moonGenRxBytes(path: string): { bytes: number; mbit: number }[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const totalBytes = header.indexOf('TotalBytes');
  const mbit = header.indexOf('Mbit');
  if (totalBytes < 0 || mbit < 0) throw new Error(`${path}: no TotalBytes/Mbit columns`);
  let prev = 0;
  return lines.slice(1).map((l) => {
    const c = l.split(',');
    const total = Number(c[totalBytes]);
    const row = { bytes: total - prev, mbit: Number(c[mbit]) };
    prev = total;
    return row;
  });
}
