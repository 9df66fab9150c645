import type { ConfigDiagnostic, SourceRange } from '../sourceText.ts';
import { LineIndex } from '../sourceText.ts';
import { VPP_FLAG_KEYS, VPP_TWO_WORD_KEYS } from './startupConfKeys.ts';
import type { VppWord } from './vppWords.ts';
import { matchBraces, vppWords } from './vppWords.ts';

/** One `key [value] [{ ... }]` item; stanzas (`dpdk { ... }`) are the top-level entries. */
export interface VppConfEntry {
  key: string;
  value?: string;
  /** The whole entry, up to the closing brace of its block when it has one. */
  range: SourceRange;
  keyRange: SourceRange;
  valueRange?: SourceRange;
  block?: VppConfEntry[];
}

export interface VppDevice {
  /** `pci` for `dev 0000:02:00.0`, `vdev` for a DPDK virtual device (`vdev net_af_packet0,iface=eth1`). */
  kind: 'pci' | 'vdev';
  address: string;
  /** The interface name set with `name`, if any (VPP otherwise derives one from the NIC type and slot). */
  name?: string;
  /** Other settings in the device's block (`num-rx-queues` → `2`; flags map to ''). */
  options: Record<string, string>;
  range: SourceRange;
  addressRange: SourceRange;
  nameRange?: SourceRange;
}

/** A file the configuration runs: `unix { startup-config FILE }` or `unix { exec FILE }`. */
export interface VppFileRef {
  kind: 'startup-config' | 'exec';
  path: string;
  range: SourceRange;
}

export interface VppCpuLayout {
  mainCore?: number;
  /** Worker cores from `corelist-workers`, when given as a list. */
  workers?: number[];
  /** `workers N` without a list: VPP picks the cores. */
  workerCount?: number;
}

export interface VppStartupConf {
  stanzas: VppConfEntry[];
  devices: VppDevice[];
  /** Settings of `dev default { ... }`, applied to every device. */
  deviceDefaults?: Record<string, string>;
  fileRefs: VppFileRef[];
  cpu: VppCpuLayout;
  diagnostics: ConfigDiagnostic[];
}

/** Parses a VPP startup.conf. Never throws; unbalanced braces become diagnostics. */
export function parseVppStartupConf(text: string): VppStartupConf {
  const lines = new LineIndex(text);
  const diagnostics: ConfigDiagnostic[] = [];
  const words = vppWords(text, lines);
  const pairs = matchBraces(words, lines, diagnostics);
  const reader = new EntryReader(words, pairs, lines, diagnostics);
  const stanzas = reader.block(0, words.length, true);
  const conf: VppStartupConf = { stanzas, devices: [], fileRefs: [], cpu: {}, diagnostics };
  for (const s of stanzas) {
    if (s.key === 'dpdk') readDpdk(s, conf);
    else if (s.key === 'unix') {
      for (const e of s.block ?? []) {
        if ((e.key === 'startup-config' || e.key === 'exec') && e.value !== undefined) conf.fileRefs.push({ kind: e.key, path: e.value, range: e.valueRange! });
      }
    } else if (s.key === 'cpu') conf.cpu = readCpu(s);
  }
  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return conf;
}

class EntryReader {
  constructor(
    private readonly words: VppWord[],
    private readonly pairs: Map<number, number>,
    private readonly lines: LineIndex,
    private readonly diagnostics: ConfigDiagnostic[],
  ) {}

  /** Entries of words[from, to). */
  block(from: number, to: number, top: boolean): VppConfEntry[] {
    const entries: VppConfEntry[] = [];
    let i = from;
    while (i < to) {
      const w = this.words[i]!;
      if (w.kind === '}') {
        i++; // unmatched: already reported
        continue;
      }
      if (w.kind === '{') {
        // A block without a key: read its content so nothing is lost.
        const [entriesIn, next] = this.braced(i, to);
        entries.push(...entriesIn);
        i = next;
        continue;
      }
      const entry: VppConfEntry = { key: w.text, range: this.lines.range(w.start, w.end), keyRange: this.lines.range(w.start, w.end) };
      let end = w.end;
      i++;
      const second = this.words[i];
      if (second?.kind === 'word' && second.line === w.line && VPP_TWO_WORD_KEYS.has(`${w.text} ${second.text}`)) {
        entry.key = `${w.text} ${second.text}`;
        entry.keyRange = this.lines.range(w.start, second.end);
        end = second.end;
        i++;
      }
      const v = this.words[i];
      // At the top level a stanza's value is the rest of its line (`heapsize 2G`).
      if (i < to && v?.kind === 'word' && v.line === w.line && !VPP_FLAG_KEYS.has(entry.key)) {
        const first = i;
        i++;
        while (top && i < to && this.words[i]!.kind === 'word' && this.words[i]!.line === w.line) i++;
        const last = this.words[i - 1]!;
        entry.value = this.words
          .slice(first, i)
          .map((x) => x.text)
          .join(' ');
        entry.valueRange = this.lines.range(v.start, last.end);
        end = last.end;
      }
      if (i < to && this.words[i]!.kind === '{') {
        const [inner, next, blockEnd] = this.braced(i, to);
        entry.block = inner;
        end = blockEnd;
        i = next;
      }
      entry.range = this.lines.range(w.start, end);
      entries.push(entry);
    }
    return entries;
  }

  /** Reads `{ ... }` at words[open]; returns its entries, the index after it, and its end offset. */
  private braced(open: number, to: number): [VppConfEntry[], number, number] {
    let close = this.pairs.get(open) ?? -1;
    if (close < 0 || close >= to) close = this.recoveryEnd(open, to);
    const inner = this.block(open + 1, close, false);
    const closeWord = this.words[close];
    if (closeWord?.kind === '}' && this.pairs.get(open) === close) return [inner, close + 1, closeWord.end];
    const lastWord = this.words[close - 1] ?? this.words[open]!;
    return [inner, close, lastWord.end];
  }

  /**
   * An unclosed block ends before the next line that starts in column 1 with
   * `word {` — the next stanza — so one missing brace does not swallow the file.
   */
  private recoveryEnd(open: number, to: number): number {
    for (let j = open + 1; j < to - 1; j++) {
      const w = this.words[j]!;
      const n = this.words[j + 1]!;
      if (w.kind === 'word' && this.lines.position(w.start).column === 1 && n.kind === '{' && n.line === w.line) return j;
    }
    return to;
  }
}

function readDpdk(stanza: VppConfEntry, conf: VppStartupConf): void {
  for (const e of stanza.block ?? []) {
    if ((e.key !== 'dev' && e.key !== 'vdev') || e.value === undefined) continue;
    const options: Record<string, string> = {};
    for (const o of e.block ?? []) options[o.key] = o.value ?? '';
    if (e.key === 'dev' && e.value === 'default') {
      conf.deviceDefaults = options;
      continue;
    }
    const dev: VppDevice = { kind: e.key === 'dev' ? 'pci' : 'vdev', address: e.value, options, range: e.range, addressRange: e.valueRange! };
    const name = (e.block ?? []).find((o) => o.key === 'name' && o.value !== undefined);
    if (name) {
      dev.name = name.value!;
      dev.nameRange = name.valueRange!;
      delete options['name'];
    }
    conf.devices.push(dev);
  }
}

function readCpu(stanza: VppConfEntry): VppCpuLayout {
  const cpu: VppCpuLayout = {};
  for (const e of stanza.block ?? []) {
    if (e.value === undefined) continue;
    if (e.key === 'main-core' && /^\d+$/.test(e.value)) cpu.mainCore = Number(e.value);
    else if (e.key === 'corelist-workers') {
      const list = parseCoreList(e.value);
      if (list) cpu.workers = list;
    } else if (e.key === 'workers' && /^\d+$/.test(e.value)) cpu.workerCount = Number(e.value);
  }
  return cpu;
}

/** `2-3,5,8-9` → [2, 3, 5, 8, 9]; undefined when it is not a core list. */
export function parseCoreList(text: string): number[] | undefined {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 4096) return undefined;
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}
