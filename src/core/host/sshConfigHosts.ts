import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * The concrete `Host` aliases of an ssh client config (patterns with `*`, `?` or `!`
 * are not hosts one can pick), following `Include` lines. Missing files give no hosts:
 * having no ssh config is normal.
 */
export function sshConfigHosts(configFile?: string): string[] {
  const file = configFile ?? join(homedir(), '.ssh', 'config');
  const hosts = new Set<string>();
  read(file, hosts, 0);
  return [...hosts];
}

function read(file: string, hosts: Set<string>, depth: number): void {
  if (depth > 8) return; // Include loops
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^(\w+)\s*=?\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const args = splitArgs(m[2]!);
    if (key === 'host') {
      for (const h of args) if (!/[*?!]/.test(h)) hosts.add(h);
    } else if (key === 'include') {
      for (const pattern of args) {
        const p = pattern.startsWith('~/') ? join(homedir(), pattern.slice(2)) : isAbsolute(pattern) ? pattern : resolve(dirname(file), pattern);
        for (const f of expandSimpleGlob(p)) read(f, hosts, depth + 1);
      }
    }
  }
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

/** `dir/*.conf`-style globs in the last path part only, as ssh configs use them. */
function expandSimpleGlob(p: string): string[] {
  if (!/[*?]/.test(p)) return [p];
  const dir = dirname(p);
  const re = new RegExp('^' + p.slice(dir.length + 1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  try {
    return readdirSync(dir)
      .filter((f) => re.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
