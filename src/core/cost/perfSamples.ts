/** One frame of a sample's call chain: the function (demangled, as perf printed it) and its module. */
export interface SampleFrame {
  /** `IPLookup::push`, or undefined where perf printed `[unknown]` (no symbol for the address). */
  symbol: string | undefined;
  /** The module's path (`/usr/bin/dpdk-testpmd`, `/usr/lib/…/libc.so.6`), `[kernel.kallsyms]`, or `[unknown]`. */
  dso: string;
}

export interface PerfSample {
  comm: string;
  tid: number;
  /** The sample's period: for cpu-clock, nanoseconds of CPU time it stands for. */
  periodNs: number;
  /** Innermost frame first. */
  frames: SampleFrame[];
}

export interface ParsedSamples {
  samples: PerfSample[];
  /** Lines that were neither a sample header nor a frame (counted, for the caller's diagnostics). */
  skipped: number;
}

/** `click-x 10208   10101010 ` (comm may contain spaces: tid and period are the last two numbers). */
const HEADER = /^(.*?)\s+(\d+)\s+(\d+)\s*:?\s*$/;
/** `\t    1164 IPLookup::push+0x14 (/tmp/x)`: address, symbol (or `[unknown]`), optional +offset, module. */
const FRAME = /^\s+([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$/;

/**
 * Reads `perf script -F comm,tid,period,ip,sym,dso` output (with or without call
 * chains): a header line per sample, then its frames, innermost first, one per line;
 * samples are separated by blank lines. Without `-g` each sample has its one frame.
 */
export function parsePerfScript(text: string): ParsedSamples {
  const samples: PerfSample[] = [];
  let skipped = 0;
  let cur: PerfSample | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      cur = undefined;
      continue;
    }
    if (/^\s/.test(line)) {
      const f = FRAME.exec(line);
      if (f && cur) cur.frames.push({ symbol: symbolOf(f[2]!), dso: f[3]! });
      else skipped++;
      continue;
    }
    const h = HEADER.exec(line);
    if (!h) {
      skipped++;
      cur = undefined;
      continue;
    }
    cur = { comm: h[1]!.trim(), tid: Number(h[2]), periodNs: Number(h[3]), frames: [] };
    samples.push(cur);
  }
  return { samples, skipped };
}

/** Drops perf's `+0x1f` offset; `[unknown]` means no symbol. */
function symbolOf(text: string): string | undefined {
  const s = text.replace(/\+0x[0-9a-f]+$/, '').trim();
  return s === '' || s === '[unknown]' ? undefined : s;
}
