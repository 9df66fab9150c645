/**
 * The replay pipeline as the product runs it (parse + fingerprint + JSONL to a sink),
 * bundled by scripts/bench.ts and run in its own process so that its timing and memory
 * are its own. Prints one JSON object: seconds, intervals, peak RSS.
 */
import { createWriteStream } from 'node:fs';
import { intervalJson } from '../src/cli/commands/replay.ts';
import { fingerprint } from '../src/core/fingerprint/fingerprint.ts';
import { readIntervals } from '../src/core/source/readIntervals.ts';

async function main(path: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const sink = createWriteStream('/dev/null');
  const start = process.hrtime.bigint();
  let intervals = 0;
  let buf: string[] = [];
  for await (const iv of readIntervals(path)) {
    fingerprint(iv);
    buf.push(intervalJson(iv));
    intervals++;
    if (buf.length >= 512) {
      if (!sink.write(buf.join('\n') + '\n')) await new Promise<void>((r) => sink.once('drain', () => r()));
      buf = [];
    }
  }
  sink.write(buf.join('\n') + '\n');
  await new Promise<void>((r) => sink.end(() => r()));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ seconds, intervals, peakRssMb: peak / 2 ** 20 }) + '\n');
}

void main(process.argv[2]!);
