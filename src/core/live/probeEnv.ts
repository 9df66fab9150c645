import { type Attach, idOf } from '../host/attach.ts';
import { LiveError } from '../host/errors.ts';
import type { HostRunner } from '../host/host.ts';
import { lastLines } from '../host/sshErrors.ts';

/**
 * Environment in one round trip: user, paranoid level, capabilities, perf's path and
 * version, and each process's owner and command line. Arguments come as "$@". One
 * line, so that login shells which reject newlines inside quotes (csh) run it too.
 */
const ENV_SCRIPT = [
  'p=$1',
  'shift',
  'echo "uid=$(id -u)"',
  'echo "user=$(id -un)"',
  '[ -r /proc/sys/kernel/perf_event_paranoid ] && echo "paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)"',
  `echo "capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null)"`,
  'if path=$(command -v "$p" 2>/dev/null) && [ -n "$path" ]; then echo "perfpath=$path"; v=$("$path" --version 2>&1); echo "perfrc=$?"; ' +
    `printf 'perfversion=%s\\n' "$(printf '%s' "$v" | tr '\\n' ' ')"; command -v getcap >/dev/null 2>&1 && printf 'perfcaps=%s\\n' "$(getcap "$path" 2>/dev/null)"; ` +
    `else echo "perf=missing"; printf 'path=%s\\n' "$PATH"; fi`,
  `for id do if [ -e "/proc/$id" ]; then printf 'proc=%s\\037%s\\037%s\\037' "$id" "$(stat -c %U "/proc/$id" 2>/dev/null)" "$(cat "/proc/$id/comm" 2>/dev/null)"; ` +
    `tr '\\000\\n' '  ' < "/proc/$id/cmdline" 2>/dev/null; echo; else echo "noproc=$id"; fi; done`,
  'exit 0',
].join('; ');

/** What the host said about its user, its perf and the processes to attach to. */
export interface Env {
  uid: number | undefined;
  user: string;
  paranoid: number | undefined;
  capEff: string | undefined;
  perfPath?: string;
  perfRc?: number;
  perfVersionText?: string;
  perfCaps?: string;
  missingPath?: string;
  procs: Map<number, { user: string; comm: string; commandLine: string }>;
  missing: number[];
}

export async function readEnv(host: HostRunner, perfPath: string, attach: Attach[]): Promise<Env> {
  const r = await host.run(['sh', '-c', ENV_SCRIPT, 'vnf-lens', perfPath, ...attach.map((a) => String(idOf(a)))], { timeoutMs: 20_000 });
  if (r.exitCode !== 0) throw new LiveError('command-failed', `cannot inspect ${host.label}: sh failed (${lastLines(r.stderr, 2) || `exit ${r.exitCode ?? r.signal}`})`);
  const env: Env = { uid: undefined, user: '', paranoid: undefined, capEff: undefined, procs: new Map(), missing: [] };
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const v = line.slice(eq + 1);
    switch (key) {
      case 'uid':
        env.uid = /^\d+$/.test(v) ? Number(v) : undefined;
        break;
      case 'user':
        env.user = v;
        break;
      case 'paranoid':
        env.paranoid = /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
        break;
      case 'capeff':
        env.capEff = v.trim() || undefined;
        break;
      case 'perfpath':
        env.perfPath = v;
        break;
      case 'perfrc':
        env.perfRc = Number(v);
        break;
      case 'perfversion':
        env.perfVersionText = v.trim();
        break;
      case 'perfcaps':
        env.perfCaps = v.trim() || undefined;
        break;
      case 'path':
        env.missingPath = v;
        break;
      case 'proc': {
        const [id, user, comm, cmd] = v.split('\x1f');
        env.procs.set(Number(id), { user: user ?? '', comm: comm ?? '', commandLine: (cmd ?? '').trim() });
        break;
      }
      case 'noproc':
        env.missing.push(Number(v));
        break;
    }
  }
  return env;
}

export function requirePerf(env: Env, host: HostRunner, perfPath: string): string {
  const install = `install it (Debian: apt install linux-perf; Ubuntu: apt install linux-tools-$(uname -r); Fedora/RHEL: dnf install perf) or give its location with --perf PATH`;
  if (env.perfPath === undefined) {
    const where = perfPath.includes('/') ? `${perfPath} does not exist or is not executable` : `no ${perfPath} in PATH=${env.missingPath ?? '?'}`;
    throw new LiveError('perf-missing', `perf is not available on ${host.label} (${where}); ${install}`);
  }
  if (env.perfRc !== 0) {
    throw new LiveError('perf-missing', `perf on ${host.label} (${env.perfPath}) does not run: '${env.perfPath} --version' said ${JSON.stringify(env.perfVersionText ?? '')}; ${install}`);
  }
  return env.perfPath;
}
