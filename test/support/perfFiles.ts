import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sniffKind } from '../../src/core/source/readIntervals.ts';

/** Every perf stat file below `dir` (not the wide CSVs of the on-off runs), found by content. */
export function perfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...perfFiles(p));
    else if (/\.(csv|txt)$/.test(name)) {
      const first = readFileSync(p, 'utf8').split('\n').find((l) => l.trim() !== '') ?? '';
      if (sniffKind(first) === 'perf') out.push(p);
    }
  }
  return out;
}
