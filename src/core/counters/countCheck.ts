import type { CounterTotals, PortTotals } from './counterSource.ts';

/** Counts above this lose integer precision as JS numbers; no router counter gets there honestly. */
export const MAX_COUNT = 2 ** 53;

/** The most a command's output is read as a counter listing (far over any router's). */
export const MAX_OUTPUT_CHARS = 4 << 20;

/** A router's count: a non-negative integer below 2^53. */
export function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < MAX_COUNT;
}

/** A count from decimal text (`12345`, surrounding blanks allowed), or undefined when it is anything else. */
export function countFromText(text: string): number | undefined {
  const s = text.trim();
  if (!/^\d{1,16}$/.test(s)) return undefined;
  const n = Number(s);
  return n < MAX_COUNT ? n : undefined;
}

/** How a value that is not a count looks in a notice: short, and never a megabyte of it. */
export function shown(x: unknown): string {
  const s = typeof x === 'string' ? JSON.stringify(x) : typeof x === 'number' ? String(x) : x === undefined ? 'nothing' : JSON.stringify(x) ?? String(x);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

const FIELDS = ['rx', 'tx', 'dropped', 'rxBytes', 'txBytes'] as const;

/**
 * What makes a reading unusable: values the source could not read (its own
 * `problems`), values that are not counts, and a port named twice. Empty when
 * every value of every port is a count.
 */
export function totalsProblems(t: CounterTotals): string[] {
  const out = [...(t.problems ?? [])];
  const seen = new Set<string>();
  for (const p of t.ports) {
    if (seen.has(p.port)) out.push(`port ${p.port} appears twice in one reading`);
    seen.add(p.port);
    for (const f of FIELDS) {
      const v: unknown = p[f as keyof PortTotals];
      if (v === undefined && (f === 'rxBytes' || f === 'txBytes')) continue;
      if (!isCount(v)) out.push(`port ${p.port} ${f} is ${shown(v)}, not a count (a whole number from 0 to 2^53)`);
    }
  }
  return out;
}
