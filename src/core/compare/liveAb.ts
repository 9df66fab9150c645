import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import type { AbView } from '../../protocol.ts';
import { abRows, label } from './render/revisionReport.ts';
import { type RevisionAb, compareRevisions } from './revisionAb.ts';

/** Intervals kept per revision: an hour at 1 s (older ones fall out; the A/B is of recent traffic). */
const KEEP = 3600;

/**
 * The live A/B of a session that follows its router: every interval's fingerprint (with
 * its packet features) kept by stream and revision, one revision pinned as the baseline,
 * and the newest revision of that stream compared with it.
 */
export class LiveRevisionAb {
  private readonly kept = new Map<string, Map<number, Fingerprint[]>>();
  private pinned: { stream: string; revision: number } | undefined;
  private last: RevisionAb | undefined;

  /** A revision has begun (its first interval is still to come): the A/B is about it from now on. */
  opened(stream: string, revision: number): void {
    this.intervalsOf(stream, revision);
  }

  push(stream: string, revision: number, fp: Fingerprint): void {
    const fps = this.intervalsOf(stream, revision);
    fps.push(fp);
    if (fps.length > 2 * KEEP) fps.splice(0, fps.length - KEEP);
  }

  private intervalsOf(stream: string, revision: number): Fingerprint[] {
    let revs = this.kept.get(stream);
    if (!revs) this.kept.set(stream, (revs = new Map()));
    let fps = revs.get(revision);
    if (!fps) revs.set(revision, (fps = []));
    return fps;
  }

  pin(stream: string, revision: number): void {
    this.pinned = { stream, revision };
  }

  get baseline(): { stream: string; revision: number } | undefined {
    return this.pinned;
  }

  /** The newest revision seen on a stream. */
  newest(stream: string): number | undefined {
    const revs = this.kept.get(stream);
    return revs && revs.size > 0 ? Math.max(...revs.keys()) : undefined;
  }

  /** The comparison behind the newest view (for export), once there is one. */
  get result(): RevisionAb | undefined {
    return this.last;
  }

  /** The A/B as the panel shows it; null without a pinned baseline. */
  view(): AbView | null {
    const pin = this.pinned;
    if (!pin) return null;
    const current = this.newest(pin.stream) ?? pin.revision;
    const base = { stream: pin.stream, baseline: pin.revision, current, figures: [], verdict: '', warnings: [], used: { baseline: '', current: '' } };
    if (current === pin.revision) return { ...base, waiting: `revision ${pin.revision} is the baseline and still the current one: restart the router to compare the next revision with it` };
    const fps = (n: number) => this.kept.get(pin.stream)?.get(n) ?? [];
    const ab = compareRevisions({ revision: pin.revision, fingerprints: fps(pin.revision) }, { revision: current, fingerprints: fps(current) });
    if ('waiting' in ab) return { ...base, waiting: ab.waiting };
    this.last = ab;
    const rows = abRows(ab);
    return {
      ...base,
      figures: ab.figures.map((f, i) => ({ feature: f.feature, label: label(f.feature), baseline: rows[i]![1]!, current: rows[i]![2]!, change: rows[i]![3]!, different: f.different, relative: f.relative })),
      verdict: ab.verdict,
      warnings: ab.warnings,
      used: ab.used,
    };
  }
}
