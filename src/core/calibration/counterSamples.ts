import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fingerprint } from '../fingerprint/fingerprint.ts';
import { countersLabel } from '../inference/counterLabels.ts';
import type { Interval } from '../perf/interval.ts';
import type { ParseDiagnostic } from '../perf/reading.ts';
import { parsePerfText } from '../source/readIntervals.ts';
import { ManifestError } from './manifest.ts';
import type { CalibrationProgress, LoadedSamples, Sample } from './samples.ts';

/**
 * Calibration samples labelled by the router's own counters: every interval that
 * carries `packets` is idle (nothing received) or processing, and lossy (drops
 * over 1 % of what was offered) or clean when anything was offered, and carries
 * its packet rate (received per second).
 */
export function samplesFromCounters(intervals: Iterable<Interval>, source: string): Sample[] {
  const out: Sample[] = [];
  for (const iv of intervals) {
    if (!iv.packets) continue;
    const label = countersLabel(iv.packets);
    const sub = iv.run ?? iv.stream;
    const fp = fingerprint(iv);
    const s: Sample = { fp, source: sub === undefined ? source : `${source}#${sub}`, state: label.state, own: true };
    // What the router took in the interval, per second.
    if (fp.dt > 0) s.pps = iv.packets.rx / fp.dt;
    if (label.loss) s.loss = label.loss;
    out.push(s);
  }
  return out;
}

/**
 * Reads recordings that carry router counters; a recording without any is an
 * error naming it and the lines that were rejected. Every rejected line (a
 * packets line with a count that is not a whole number from 0 to 2^53, a second
 * one for the same interval) goes to `onDiagnostic`, as replay reports them.
 */
export async function loadCounterRecordings(files: string[], onProgress?: (p: CalibrationProgress) => void, onDiagnostic?: (file: string, d: ParseDiagnostic) => void): Promise<LoadedSamples> {
  const samples: Sample[] = [];
  const recordings: LoadedSamples['recordings'] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    onProgress?.({ phase: 'read', done: i, total: files.length, detail: file });
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new ManifestError(`recording ${file}: cannot read it: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    });
    const rejected: ParseDiagnostic[] = [];
    const intervals = parsePerfText(text, {
      onDiagnostic: (d) => {
        rejected.push(d);
        onDiagnostic?.(file, d);
      },
    });
    const got = samplesFromCounters(intervals, file);
    if (got.length === 0) {
      const why = rejected.filter((d) => /packets/.test(d.message));
      const said = why.length === 0 ? '' : ` (${why.length} packets line${why.length === 1 ? ' was' : 's were'} rejected: ${why.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`).join('; ')}${why.length > 3 ? '; …' : ''})`;
      throw new ManifestError(`recording ${file}: none of its ${intervals.length} intervals carries the router's packet counters${said}; record it with the router's counters or label it by hand in a manifest (--manifest)`);
    }
    samples.push(...got);
    recordings.push({ file, sha256: createHash('sha256').update(text).digest('hex'), intervals: intervals.length });
  }
  onProgress?.({ phase: 'read', done: files.length, total: files.length, detail: 'done' });
  return { samples, recordings };
}
