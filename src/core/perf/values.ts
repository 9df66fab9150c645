/** Small, allocation-free checks shared by the line readers. */

export const NOT_COUNTED = '<not counted>';
export const NOT_SUPPORTED = '<not supported>';

/** A plain decimal number as perf prints it (no thousands separators). */
export function isPlainNumber(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  let i = 0;
  let digits = 0;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */ || c === 43 /* + */) i++;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 /* . */) continue;
    else if (c === 101 || c === 69 /* e E */) {
      return digits > 0 && /^[eE][-+]?\d+$/.test(s.slice(i));
    } else return false;
  }
  return digits > 0;
}

/** Non-negative integer, e.g. perf's run time or aggregation count. */
export function isInteger(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A counter value field: a number, or perf's `<not counted>` / `<not supported>`. */
export function isValueField(s: string, allowThousands: boolean): boolean {
  if (s.length === 0) return false;
  if (s.charCodeAt(0) === 60 /* < */) return s === NOT_COUNTED || s === NOT_SUPPORTED;
  if (isPlainNumber(s)) return true;
  return allowThousands && /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s);
}

export function parseValue(s: string): number {
  return s.indexOf(',') >= 0 ? Number(s.replace(/,/g, '')) : Number(s);
}
