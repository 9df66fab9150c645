/**
 * Positions in a config file. Lines and columns count from 1 (as people and
 * compilers print them); columns count UTF-16 code units like editors do;
 * `offset` is the 0-based index into the text, so an editor can also map it
 * with its own offset-to-position function.
 */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/** A span of text; `end` is just past the last character. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export interface ConfigDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  range: SourceRange;
}

/** Maps offsets to line/column; handles \n, \r\n and lone \r line ends. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): SourcePosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo]! + 1, offset: o };
  }

  range(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(end) };
  }
}

/** `file:line:column: error: message`, the form editors and terminals link to. */
export function formatDiagnostic(file: string, d: ConfigDiagnostic): string {
  return `${file}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.message}`;
}

export function at(p: SourcePosition): string {
  return `${p.line}:${p.column}`;
}
