import type { RevisionEndRecord, RevisionRecord } from '../recording/format.ts';
import type { FollowedProcess } from './routerFollower.ts';

/** A revision as a session announces it: the record, plus the config texts for a diff (never recorded). */
export interface RevisionEvent extends RevisionRecord {
  configTexts: Record<string, string>;
}

interface Open {
  record: RevisionRecord;
  lastT: number;
}

/**
 * The revisions of each stream of a session that follows its routers: the n-th
 * process of a router is revision n. Builds the start and end records; every PID
 * the stream ever counted has both, the last one when the session ends.
 */
export class RevisionLog {
  private readonly open = new Map<string, Open>();
  private readonly done: (RevisionRecord & { end?: RevisionEndRecord })[] = [];

  begin(stream: string, pid: number, t: number, p: FollowedProcess): RevisionEvent {
    const n = (this.done.filter((r) => r.stream === stream).length) + 1;
    const record: RevisionRecord = { stream, n, pid, t: round3(t), at: new Date().toISOString(), ...p.revision.identity };
    this.open.set(stream, { record, lastT: t });
    this.done.push(record);
    return { ...record, configTexts: Object.fromEntries(p.revision.configTexts) };
  }

  /** The stream's newest interval end, so the revision's end record says where its data stops. */
  saw(stream: string, t: number): void {
    const o = this.open.get(stream);
    if (o && t > o.lastT) o.lastT = t;
  }

  current(stream: string): number | undefined {
    return this.open.get(stream)?.record.n;
  }

  end(stream: string, reason: string): RevisionEndRecord | undefined {
    const o = this.open.get(stream);
    if (!o) return undefined;
    this.open.delete(stream);
    const end: RevisionEndRecord = { stream, n: o.record.n, pid: o.record.pid, t: round3(o.lastT), at: new Date().toISOString(), reason };
    const entry = this.done.find((r) => r.stream === stream && r.n === o.record.n);
    if (entry) entry.end = end;
    return end;
  }

  /** Every revision so far, in the order they started, with the end of those that ended. */
  get all(): readonly (RevisionRecord & { end?: RevisionEndRecord })[] {
    return this.done;
  }
}

function round3(t: number): number {
  return Math.round(t * 1000) / 1000;
}
