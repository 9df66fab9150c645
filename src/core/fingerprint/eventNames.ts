/**
 * perf prints the same event under several spellings: `instructions:u` when
 * perf_event_paranoid limits counting to user space, `cpu/instructions/` or
 * `cpu_core/instructions/` with a PMU (hybrid CPUs print one line per PMU).
 * The fingerprint keys them by the plain name so models travel between hosts.
 */
const PMU_WRAPPED = /^[a-z0-9_]+\/([A-Za-z0-9_.-]+)\/([a-zA-Z]*)$/;
const MODIFIERS = /:[ukhHGIpPSDWe]+$/;

export function canonicalEventName(name: string): string {
  let s = name.trim();
  const m = PMU_WRAPPED.exec(s);
  if (m && !m[1]!.includes('=')) s = m[1]!;
  s = s.replace(MODIFIERS, '');
  return s;
}
