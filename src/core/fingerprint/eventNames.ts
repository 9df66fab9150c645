/**
 * perf prints the same event under several spellings: `instructions:u` when
 * perf_event_paranoid limits counting to user space, `cpu/instructions/` or
 * `cpu_core/instructions/` with a PMU (hybrid CPUs print one line per PMU).
 * The fingerprint keys them by the plain name so models travel between hosts.
 */
const PMU_WRAPPED = /^[a-z0-9_]+\/([A-Za-z0-9_.-]+)\/([a-zA-Z]*)$/;
const MODIFIERS = /:[ukhHGIpPSDWe]+$/;

const cache = new Map<string, string>();

export function canonicalEventName(name: string): string {
  let c = cache.get(name);
  if (c === undefined) {
    c = canonicalize(name);
    // Event names come from a short, fixed list per session; the bound only guards odd inputs.
    if (cache.size < 4096) cache.set(name, c);
  }
  return c;
}

function canonicalize(name: string): string {
  let s = name.trim();
  const m = PMU_WRAPPED.exec(s);
  if (m && !m[1]!.includes('=')) s = m[1]!;
  s = s.replace(MODIFIERS, '');
  return s;
}
