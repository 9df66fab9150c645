import { readFile } from 'node:fs/promises';
import { stripBom } from '../model/load.ts';
import path from 'node:path';

/**
 * A calibration manifest: CSV with the header `file,from,to,state,loss,scenario`, or the
 * same with a seventh column `pps`.
 * - file: a recording or perf output, relative to the manifest's folder or absolute.
 *   `FILE#NAME` selects one run of a multi-run input (the ITC 2021 wide CSV, e.g.
 *   `on-off/fastclick.csv#5000-64`) or one stream of a multi-stream recording.
 * - from, to: interval end times in seconds as printed in the file, inclusive; empty = open end.
 * - state: idle | processing | empty; loss: lossy | clean | empty; scenario: a free label or empty.
 * - pps (optional column): packets per second the router forwarded in that range (what was
 *   offered where nothing was lost), or empty (a row may
 *   then stop after scenario).
 * Rows may repeat a file (e.g. one row per labelled stretch). Fields may be double-quoted.
 */
export interface ManifestEntry {
  line: number;
  file: string;
  /** Resolved path of the file (without the #selector). */
  path: string;
  select?: string;
  from?: number;
  to?: number;
  state?: 'idle' | 'processing';
  loss?: 'lossy' | 'clean';
  scenario?: string;
  /** Packets per second the router forwarded in the range (the optional seventh column). */
  pps?: number;
  /** Set by the caller: the row labels the router the model is for, not reference data of other routers. */
  own?: boolean;
}

export const MANIFEST_HEADER = ['file', 'from', 'to', 'state', 'loss', 'scenario'] as const;
/** The header with the optional packet-rate column. */
export const MANIFEST_HEADER_PPS = [...MANIFEST_HEADER, 'pps'] as const;

export class ManifestError extends Error {}

export async function readManifest(file: string): Promise<ManifestEntry[]> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ManifestError(`manifest ${file}: cannot read it: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  return parseManifest(stripBom(text), file, path.dirname(path.resolve(file)));
}

export function parseManifest(text: string, name: string, baseDir: string): ManifestEntry[] {
  const lines = text.split(/\r?\n/);
  const errors: string[] = [];
  const entries: ManifestEntry[] = [];
  let headerSeen = false;
  let columns: readonly string[] = MANIFEST_HEADER;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    let cells: string[];
    try {
      cells = splitCsvLine(raw).map((c) => c.trim());
    } catch (e) {
      errors.push(`line ${lineNo}: ${(e as Error).message}`);
      continue;
    }
    if (!headerSeen) {
      headerSeen = true;
      if (cells.join(',') === MANIFEST_HEADER_PPS.join(',')) columns = MANIFEST_HEADER_PPS;
      else if (cells.join(',') !== MANIFEST_HEADER.join(',')) {
        throw new ManifestError(`manifest ${name} line ${lineNo}: the header must be "${MANIFEST_HEADER.join(',')}" or "${MANIFEST_HEADER_PPS.join(',')}", not "${raw.trim()}"`);
      }
      continue;
    }
    const problem = (msg: string) => errors.push(`line ${lineNo}: ${msg}`);
    // Under the seven-column header a row may stop before pps (left empty).
    if (cells.length !== columns.length && !(columns === MANIFEST_HEADER_PPS && cells.length === MANIFEST_HEADER.length)) {
      problem(`expected ${columns.length} fields (${columns.join(',')}), found ${cells.length}`);
      continue;
    }
    const [file, fromS, toS, state, loss, scenario, ppsS = ''] = cells as [string, string, string, string, string, string, string?];
    if (file === '') {
      problem('"file" is empty');
      continue;
    }
    const hash = file.lastIndexOf('#');
    const filePart = hash >= 0 ? file.slice(0, hash) : file;
    const select = hash >= 0 ? file.slice(hash + 1) : undefined;
    if (filePart === '' || select === '') {
      problem(`"file" ${JSON.stringify(file)}: expected FILE or FILE#RUN`);
      continue;
    }
    const entry: ManifestEntry = { line: lineNo, file, path: path.resolve(baseDir, filePart) };
    if (select !== undefined) entry.select = select;
    const from = parseTime(fromS);
    const to = parseTime(toS);
    if (from === null) problem(`"from" must be a number of seconds or empty, not ${JSON.stringify(fromS)}`);
    else if (from !== undefined) entry.from = from;
    if (to === null) problem(`"to" must be a number of seconds or empty, not ${JSON.stringify(toS)}`);
    else if (to !== undefined) entry.to = to;
    if (entry.from !== undefined && entry.to !== undefined && entry.from > entry.to) problem(`"from" (${fromS}) is after "to" (${toS})`);
    if (state === 'idle' || state === 'processing') entry.state = state;
    else if (state !== '') problem(`"state" must be idle, processing or empty, not ${JSON.stringify(state)}`);
    if (loss === 'lossy' || loss === 'clean') entry.loss = loss;
    else if (loss !== '') problem(`"loss" must be lossy, clean or empty, not ${JSON.stringify(loss)}`);
    if (scenario !== '') entry.scenario = scenario;
    const pps = parseTime(ppsS);
    if (pps === null || (pps !== undefined && pps < 0)) problem(`"pps" must be a number of packets per second (0 or more) or empty, not ${JSON.stringify(ppsS)}`);
    else if (pps !== undefined) entry.pps = pps;
    entries.push(entry);
  }
  if (!headerSeen) throw new ManifestError(`manifest ${name} is empty: expected the header "${MANIFEST_HEADER.join(',')}" and one row per labelled stretch`);
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((e) => `  ${name} ${e}`);
    if (errors.length > 20) shown.push(`  … and ${errors.length - 20} more`);
    throw new ManifestError(`manifest ${name}: ${errors.length} bad row${errors.length > 1 ? 's' : ''}:\n${shown.join('\n')}`);
  }
  if (entries.length === 0) throw new ManifestError(`manifest ${name} has a header but no rows`);
  return entries;
}

function parseTime(s: string): number | undefined | null {
  if (s === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? v : null;
}

/** One CSV record (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cur += ch;
      i++;
      continue;
    }
    if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  out.push(cur);
  return out;
}

/** Quotes a field for a manifest when it needs it. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
