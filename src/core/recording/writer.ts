import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { type CostRecord, type Directive, type EndRecord, type Gap, type Mark, type PacketsRecord, type RangeLabel, type RecordingMeta, type RevisionEndRecord, type RevisionRecord, RECORDING_FORMAT, RECORDING_VERSION, directiveLine } from './format.ts';

/**
 * Appends to a recording as data arrives. Writes are synchronous and whole-line, so
 * everything handed over is in the file (the OS's page cache) when the call returns.
 */
export class RecordingWriter {
  private fd: number | undefined;
  private currentStream: string | undefined;
  private readonly partial = new Map<string, string>();

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Starts a new recording; refuses to overwrite an existing file. */
  static create(path: string, meta: RecordingMeta): RecordingWriter {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') throw new Error(`recording ${path} already exists; choose another --out or delete it`, { cause: e });
      throw new Error(`cannot create recording ${path}: ${err.message}`, { cause: e });
    }
    const w = new RecordingWriter(path, fd);
    w.write(directiveLine({ format: RECORDING_FORMAT, version: RECORDING_VERSION, meta }));
    return w;
  }

  /** Reopens an existing recording to add to it (marks, labels, a resumed session). */
  static append(path: string): RecordingWriter {
    if (!existsSync(path)) throw new Error(`recording ${path} does not exist`);
    return new RecordingWriter(path, openSync(path, 'a'));
  }

  /** perf's text for one stream, as received; only complete lines are written, the rest waits. */
  perfText(stream: string, text: string): void {
    const pending = (this.partial.get(stream) ?? '') + text;
    const nl = pending.lastIndexOf('\n');
    if (nl < 0) {
      this.partial.set(stream, pending);
      return;
    }
    this.partial.set(stream, pending.slice(nl + 1));
    this.switchTo(stream);
    this.write(pending.slice(0, nl + 1));
  }

  mark(m: Mark): void {
    this.directive({ mark: m });
  }

  gap(g: Gap): void {
    this.directive({ gap: g });
  }

  label(l: RangeLabel): void {
    this.directive({ label: l });
  }

  /** The router's packet counts of one interval; written after the interval's perf lines. */
  packets(p: PacketsRecord): void {
    this.directive({ packets: p });
  }

  /** A router process starts a revision (the first one at attach, the next at each restart). */
  revision(r: RevisionRecord): void {
    this.directive({ revision: r });
  }

  revisionEnd(r: RevisionEndRecord): void {
    this.directive({ revisionEnd: r });
  }

  /** Where the router's CPU went over a window (element cost, VPP nodes, OVS PMDs). */
  cost(c: CostRecord): void {
    this.directive({ cost: c });
  }

  /** Writes what is left of each stream (a last line without newline) and the end record. */
  end(e: EndRecord): void {
    for (const [stream, rest] of this.partial) {
      if (rest.length === 0) continue;
      this.switchTo(stream);
      this.write(rest + '\n');
    }
    this.partial.clear();
    this.directive({ end: e });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private switchTo(stream: string): void {
    if (stream === this.currentStream) return;
    this.currentStream = stream;
    this.write(directiveLine({ stream }));
  }

  private directive(d: Directive): void {
    this.write(directiveLine(d));
  }

  private write(s: string): void {
    if (this.fd === undefined) throw new Error(`recording ${this.path} is closed`);
    writeSync(this.fd, s);
  }
}
