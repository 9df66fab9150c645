import { readFile } from 'node:fs/promises';

/**
 * Packet loss per second from MoonGen's per-device counters (`tx_stats.csv`,
 * `rx_stats.csv`: `Time,Device,Direction,PacketRate,…,TotalPackets,…`). TX is what
 * was offered to the router, RX what came back; the loss of second i is the
 * increase of TX minus the increase of RX. Row i of both files matches perf's
 * interval i (both sample once a second from the start of the run).
 */
export interface SecondLoss {
  /** Row index, 0-based: perf interval i of the same run. */
  index: number;
  /** Epoch second of the TX row. */
  time: number;
  offered: number;
  received: number;
  /** Lost share of the offered packets (may be slightly negative: TX and RX are read at slightly different moments). */
  lossRatio: number;
}

export async function readMoonGenLoss(txPath: string, rxPath: string): Promise<SecondLoss[]> {
  const [tx, rx] = await Promise.all([readTotals(txPath), readTotals(rxPath)]);
  const n = Math.min(tx.length, rx.length);
  const out: SecondLoss[] = [];
  for (let i = 0; i < n; i++) {
    const offered = tx[i]!.total - (i > 0 ? tx[i - 1]!.total : 0);
    const received = rx[i]!.total - (i > 0 ? rx[i - 1]!.total : 0);
    out.push({ index: i, time: tx[i]!.time, offered, received, lossRatio: offered > 0 ? (offered - received) / offered : 0 });
  }
  return out;
}

async function readTotals(path: string): Promise<{ time: number; total: number }[]> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((c) => c.trim());
  const timeCol = header.indexOf('Time');
  const totalCol = header.indexOf('TotalPackets');
  if (timeCol < 0 || totalCol < 0) throw new Error(`${path}: not a MoonGen stats file (needs "Time" and "TotalPackets" columns)`);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    const time = Number(cells[timeCol]);
    const total = Number(cells[totalCol]);
    if (!Number.isFinite(time) || !Number.isFinite(total)) throw new Error(`${path}:${i + 2}: Time or TotalPackets is not a number`);
    return { time, total };
  });
}

/**
 * Packets the router forwarded in each perf interval: what came back to MoonGen, half
 * of its second i and half of its second i + 1. Both tools stamp whole seconds and their
 * phase is not recorded; on all three OpenNetVM runs the interval-to-interval changes of
 * a single counter (L1-dcache-load-misses) follow MoonGen's received packets best half a
 * second later (correlation 0.81 / 0.75 / 0.92 against 0.58 / 0.55 / 0.75 unshifted,
 * `npm run eval`). The first interval (MoonGen's RX row 0 reads 0: when its counting
 * started is not known) and the last (no second after it) have none (undefined).
 * This, not what was offered, is the rate the CPU counters can tell: packets dropped
 * before the router took them cost it nothing.
 */
export function forwardedPerInterval(loss: readonly SecondLoss[]): (number | undefined)[] {
  return loss.map((s, i) => (i > 0 && i + 1 < loss.length ? Math.round((s.received + loss[i + 1]!.received) / 2) : undefined));
}
