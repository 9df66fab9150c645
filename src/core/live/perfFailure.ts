import { type Attach, describeAttach } from '../host/attach.ts';
import { LiveError } from '../host/errors.ts';
import type { HostRunner, RunResult } from '../host/host.ts';
import type { DroppedEvent, ProbeCtx, ProbedProcess } from './probeTypes.ts';

// Why perf refused or failed during a probe, worded with the setting or right to change.

export function processGone(stderr: string): boolean {
  return /Problems finding threads of monitor|No such process|couldn't find .*(process|thread)/i.test(stderr);
}

const REFUSED = /Access to performance monitoring and observability operations is limited|No permission to enable|Permission denied|Operation not permitted|perf_event_paranoid/;

/** Explains a failed perf run; a refusal names the setting or right that caused it. */
export function perfFailure(ctx: ProbeCtx, r: RunResult, proc: ProbedProcess | undefined, events: readonly string[]): LiveError {
  const { host, env, perfPath } = ctx;
  const what = events.length === 1 ? `event ${events[0]}` : `events ${events.join(',')}`;
  if (REFUSED.test(r.stderr)) {
    const who = env.user || `uid ${env.uid ?? '?'}`;
    if (proc && env.uid !== 0 && proc.user !== '' && proc.user !== env.user) {
      return new LiveError(
        'perf-refused',
        `perf on ${host.label} was refused ${what} for ${describeAttach(proc.attach)}: the process belongs to ${proc.user} and perf runs as ${who}, and unprivileged users may only attach to their own processes. ` +
          `Connect as ${proc.user} or root, or give perf the rights: sudo setcap cap_perfmon,cap_sys_ptrace+ep ${perfPath}`,
      );
    }
    const p = env.paranoid;
    const rule = p === undefined ? 'its perf_event_paranoid setting could not be read' : `perf_event_paranoid is ${p}${paranoidMeaning(p)}`;
    return new LiveError(
      'perf-refused',
      `perf on ${host.label} was refused ${what}${proc ? ` for ${describeAttach(proc.attach)}` : ''}: ${rule}, and ${who} has no CAP_PERFMON. ` +
        `Lower it (sudo sysctl kernel.perf_event_paranoid=1, or -1 to allow all events), run as root, or give perf the right: sudo setcap cap_perfmon+ep ${perfPath}`,
    );
  }
  if (proc && processGone(r.stderr)) return noSuchProcess(proc.attach, host);
  const msg = perfMessage(r.stderr) || `exit ${r.exitCode ?? r.signal}`;
  return new LiveError('perf-failed', `perf on ${host.label} failed for ${what}: ${msg}`);
}

export function failureKind(err: LiveError): DroppedEvent['kind'] {
  return err.code === 'perf-refused' ? 'refused' : 'failed';
}

function paranoidMeaning(p: number): string {
  if (p >= 3) return ' (perf is closed to unprivileged users on kernels that honour level 3)';
  if (p >= 2) return ' (unprivileged users may count user space only: no kernel-mode counting)';
  if (p >= 1) return ' (unprivileged users may not count CPU-wide)';
  return '';
}

/** perf's message without its usage text and advice paragraphs. */
export function perfMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'Error:' && !l.startsWith('Usage:') && !l.startsWith('-') && !/^[\\_|\s]+$/.test(l));
  return lines.slice(0, 2).join(' ');
}

export function noSuchProcess(a: Attach, host: HostRunner): LiveError {
  return new LiveError('no-such-process', `no ${describeAttach(a)} on ${host.label}: it is not running (or has exited); list the processes with 'vnf-lens ps'`);
}
