import { MAX_COUNT } from '../perf/csvFastPath.ts';
import { setOwn } from '../perf/eventSchema.ts';
import type { Interval } from '../perf/interval.ts';
import type { ParseDiagnostic } from '../perf/reading.ts';
import { isPlainNumber } from '../perf/values.ts';

/**
 * The ITC 2021 wide CSV: one row per interval, columns `RUN-EVENT` where RUN is
 * `RATE-SIZE` (e.g. `5000-64-branch-misses`), a `Time` column with the interval
 * end, and often an empty trailing column. Each run becomes its own stream of
 * intervals, labelled with `run`.
 */
const COLUMN = /^([^-]+-[^-]+)-(.+)$/;

export function looksLikeWideCsv(firstLine: string): boolean {
  const cols = firstLine.split(',').map((c) => c.trim());
  return cols.includes('Time') && cols.filter((c) => COLUMN.test(c)).length >= 2;
}

export function readWideCsv(text: string, onDiagnostic?: (d: ParseDiagnostic) => void): Interval[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split(',').map((c) => c.trim());
  const timeCol = header.indexOf('Time');
  if (timeCol < 0) throw new Error('wide CSV: no "Time" column in the header');
  const runs = new Map<string, { col: number; event: string }[]>();
  header.forEach((name, col) => {
    const m = COLUMN.exec(name);
    if (!m || col === timeCol) return;
    const cols = runs.get(m[1]!) ?? [];
    cols.push({ col, event: m[2]! });
    runs.set(m[1]!, cols);
  });
  const rows: { line: number; cells: string[]; t: number }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const tText = (cells[timeCol] ?? '').trim();
    if (!isPlainNumber(tText)) {
      onDiagnostic?.({ line: i + 1, message: `wide CSV: "Time" is not a number (${JSON.stringify(tText)}); row skipped`, text: line.slice(0, 200) });
      continue;
    }
    const t = Number(tText);
    const prev = rows[rows.length - 1];
    if (!Number.isFinite(t) || (prev !== undefined && t <= prev.t)) {
      // A repeated or earlier row would make an interval of length zero or less.
      const why = !Number.isFinite(t) ? 'is not finite' : t === prev!.t ? `repeats the row of line ${prev!.line}` : `goes back from ${prev!.t}`;
      onDiagnostic?.({ line: i + 1, message: `wide CSV: "Time" ${tText} ${why}; row skipped`, text: line.slice(0, 200) });
      continue;
    }
    rows.push({ line: i + 1, cells, t });
  }
  const out: Interval[] = [];
  for (const [run, cols] of runs) {
    let prevT: number | undefined;
    for (const row of rows) {
      const iv: Interval = { t: row.t, dt: prevT === undefined ? row.t : row.t - prevT, counters: {}, running: {}, units: {}, notCounted: [], unsupported: [], run };
      prevT = row.t;
      for (const { col, event } of cols) {
        const cell = (row.cells[col] ?? '').trim();
        if (cell === '' || cell === '<not counted>') iv.notCounted.push(event);
        else if (cell === '<not supported>') iv.unsupported.push(event);
        else if (isPlainNumber(cell) && Number(cell) >= 0 && Number(cell) < MAX_COUNT) {
          setOwn(iv.counters, event, Number(cell));
          setOwn(iv.running, event, 100);
        } else onDiagnostic?.({ line: row.line, message: `wide CSV: value of ${run}-${event} is not a usable count (${JSON.stringify(cell)}); left out`, text: cell });
      }
      out.push(iv);
    }
  }
  return out;
}
