import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fingerprint, type Fingerprint } from '../fingerprint/fingerprint.ts';
import type { Interval } from '../perf/interval.ts';
import { parsePerfText } from '../source/readIntervals.ts';
import type { ManifestEntry } from './manifest.ts';
import { ManifestError } from './manifest.ts';

/** One labelled calibration interval. */
export interface Sample {
  fp: Fingerprint;
  /** `file` or `file#run`, as the manifest names it. */
  source: string;
  state?: 'idle' | 'processing';
  loss?: 'lossy' | 'clean';
  scenario?: string;
  /** Packets per second of the interval (forwarded, or received by the router's own counters). */
  pps?: number;
  /** Labelled on the router the model is for (not reference data of other routers). */
  own?: boolean;
}

export interface CalibrationProgress {
  phase: 'read' | 'fit';
  done: number;
  total: number;
  detail: string;
}

export interface LoadedSamples {
  samples: Sample[];
  recordings: { file: string; sha256: string; intervals: number }[];
}

/** Times are compared as printed; this absorbs float noise in hand-typed bounds. */
const TIME_SLACK = 1e-6;

/**
 * Reads every file the manifest names (each once) and returns the intervals its
 * rows select, with the labels of all rows that select them merged. Rows that
 * select nothing, name an unknown run, or give one interval two different labels
 * are errors naming their manifest lines.
 */
export async function loadSamples(entries: ManifestEntry[], manifestName: string, onProgress?: (p: CalibrationProgress) => void): Promise<LoadedSamples> {
  const byPath = new Map<string, ManifestEntry[]>();
  for (const e of entries) {
    const list = byPath.get(e.path) ?? [];
    list.push(e);
    byPath.set(e.path, list);
  }
  const samples: Sample[] = [];
  const recordings: LoadedSamples['recordings'] = [];
  const errors: string[] = [];
  let done = 0;
  for (const [file, rows] of byPath) {
    onProgress?.({ phase: 'read', done, total: byPath.size, detail: rows[0]!.file.replace(/#[^#]*$/, '') });
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push(`line ${rows.map((r) => r.line).join(', ')}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      done++;
      continue;
    }
    const intervals = parsePerfText(text);
    recordings.push({ file: rows[0]!.file.replace(/#[^#]*$/, ''), sha256: createHash('sha256').update(text).digest('hex'), intervals: intervals.length });
    if (intervals.length === 0) {
      errors.push(`line ${rows.map((r) => r.line).join(', ')}: ${file} holds no perf intervals`);
      done++;
      continue;
    }
    const picked = new Map<number, { sample: Sample; lines: Partial<Record<'state' | 'loss' | 'scenario' | 'pps', number>> }>();
    const fps: (Fingerprint | undefined)[] = new Array(intervals.length);
    for (const row of rows) {
      const hits = selectIntervals(intervals, row);
      if (typeof hits === 'string') {
        errors.push(`line ${row.line}: ${hits}`);
        continue;
      }
      for (const i of hits) {
        const iv = intervals[i]!;
        let entry = picked.get(i);
        if (!entry) {
          const fp = (fps[i] ??= fingerprint(iv));
          entry = { sample: { fp, source: sourceName(row, iv) }, lines: {} };
          picked.set(i, entry);
        }
        if (row.own) entry.sample.own = true;
        for (const key of ['state', 'loss', 'scenario', 'pps'] as const) {
          const v = row[key];
          if (v === undefined) continue;
          const prev = entry.sample[key];
          if (prev !== undefined && prev !== v) {
            errors.push(`line ${row.line}: interval t=${iv.t}${iv.run ? ` of run ${iv.run}` : ''} is labelled ${key} ${JSON.stringify(v)} here and ${JSON.stringify(prev)} on line ${entry.lines[key]}`);
            continue;
          }
          (entry.sample as unknown as Record<string, unknown>)[key] = v;
          entry.lines[key] = row.line;
        }
      }
    }
    for (const i of [...picked.keys()].sort((a, b) => a - b)) samples.push(picked.get(i)!.sample);
    done++;
  }
  onProgress?.({ phase: 'read', done, total: byPath.size, detail: 'done' });
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((e) => `  ${manifestName} ${e}`);
    if (errors.length > 20) shown.push(`  … and ${errors.length - 20} more`);
    throw new ManifestError(`manifest ${manifestName}: ${errors.length} bad row${errors.length > 1 ? 's' : ''}:\n${shown.join('\n')}`);
  }
  return { samples, recordings };
}

function sourceName(row: ManifestEntry, iv: Interval): string {
  const base = row.file.replace(/#[^#]*$/, '');
  const sub = iv.run ?? iv.stream;
  return sub === undefined ? base : `${base}#${sub}`;
}

function selectIntervals(intervals: Interval[], row: ManifestEntry): number[] | string {
  const out: number[] = [];
  let inRun = 0;
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i]!;
    if (row.select !== undefined && iv.run !== row.select && iv.stream !== row.select) continue;
    inRun++;
    tMin = Math.min(tMin, iv.t);
    tMax = Math.max(tMax, iv.t);
    if (row.from !== undefined && iv.t < row.from - TIME_SLACK) continue;
    if (row.to !== undefined && iv.t > row.to + TIME_SLACK) continue;
    out.push(i);
  }
  if (row.select !== undefined && inRun === 0) {
    const names = [...new Set(intervals.map((iv) => iv.run ?? iv.stream).filter((n) => n !== undefined))];
    return `no run or stream ${JSON.stringify(row.select)} in ${row.path}${names.length > 0 ? ` (it has ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})` : ' (it has a single stream: drop the #…)'}`;
  }
  if (out.length === 0) return `no interval of ${row.file} ends between ${row.from ?? 'the start'} and ${row.to ?? 'the end'} s (its intervals end from ${tMin} to ${tMax} s)`;
  return out;
}
