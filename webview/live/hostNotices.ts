import type { HostFacts } from './hostFacts.ts';
import type { Notice } from './notices.ts';

/** What the notices derived from the data need besides the host's facts. */
export interface NoticeContext {
  /** perf_event_paranoid on the host, when the probe read it. */
  paranoid: number | null;
  drawnStreams: number;
  droppedStreams: ReadonlySet<string>;
  /** A session is shown without a model. */
  noModel: boolean;
}

/** The notices the panel derives from the data: missing or multiplexed events, dropped streams, no model. */
export function computedNotices(f: HostFacts, c: NoticeContext): Notice[] {
  const out: Notice[] = [];
  if (f.hardwareMissing.length > 0) {
    if (f.noHardware) out.push(noPmuNotice(f, c.paranoid));
    else out.push({ id: 'events-missing', level: 'info', text: `Some events are not counted on this host: ${list(f.hardwareMissing, 6)}.`, detail: f.hardwareMissing.join(', ') });
  }
  if (f.nothingCounted) out.push({ id: 'nothing-counted', level: 'info', text: 'perf counted no event in the newest interval: the process did not run (or has exited).' });
  else if (f.softwareMissing.length > 0) out.push({ id: 'software-missing', level: 'info', text: `Not counted in the newest interval: ${list(f.softwareMissing, 6)}.` });
  if (f.multiplexed.size > 0) {
    const v = [...f.multiplexed.values()];
    const lo = Math.floor(Math.min(...v));
    const hi = Math.ceil(Math.max(...v));
    out.push({
      id: 'multiplexed',
      level: 'warning',
      text: `Multiplexed counters: ${f.multiplexed.size} events were counted only ${lo === hi ? `${lo} %` : `${lo}–${hi} %`} of each interval, so their rates are scaled estimates. Count fewer events at once to measure them fully.`,
      detail: [...f.multiplexed].sort((a, b) => a[1] - b[1]).map(([e, p]) => `${e} ${Math.round(p)} %`).join(', '),
    });
  }
  if (c.droppedStreams.size > 0) out.push({ id: 'streams-dropped', level: 'warning', text: `Only the first ${c.drawnStreams} streams are drawn; not shown: ${list([...c.droppedStreams], 4)}.` });
  if (c.noModel) out.push({ id: 'no-model', level: 'info', text: 'No model is active: the counters are charted, but state, loss regime and scenario stay unknown. Calibrate one with `vnf-lens calibrate` or pick one in the settings.' });
  return out;
}

/** One notice for a host whose perf counts no hardware event: what is missing, what still counts, how to get the rest. */
function noPmuNotice(f: HostFacts, paranoid: number | null): Notice {
  const unsupported = f.hardwareMissing.filter((e) => f.notSupported.has(e));
  const refused = f.hardwareMissing.filter((e) => f.refused.includes(e));
  const counts = f.packets ? "the router's packet counters and the software events" : 'the software events';
  const why =
    unsupported.length > 0 && refused.length === 0
      ? `perf reports <not supported> for all ${unsupported.length} hardware events`
      : refused.length > 0 && unsupported.length === 0
        ? `perf was refused the ${refused.length} hardware events${paranoid !== null ? ` (perf_event_paranoid is ${paranoid})` : ''}`
        : `perf counts none of the ${f.hardwareMissing.length} hardware events`;
  const fix: string[] = [];
  if (unsupported.length > 0 || refused.length === 0) fix.push('give the VM a virtual PMU (KVM/libvirt: CPU mode host-passthrough; VMware: "virtualize CPU performance counters") or run on bare metal');
  if (refused.length > 0) fix.push('lower kernel.perf_event_paranoid (sudo sysctl kernel.perf_event_paranoid=1) or run perf as root');
  return {
    id: 'no-pmu',
    level: 'warning',
    text: `No hardware counters on this host: ${why}. Shown first: ${counts}. State, loss regime and scenario need cycles, caches and TLB counts: ${fix.join('; or ')}.`,
    detail: `${unsupported.length > 0 ? `Not supported: ${unsupported.join(', ')}. ` : ''}${refused.length > 0 ? `Refused: ${refused.join(', ')}. ` : ''}The Computation, Caches and TLB charts are hidden until they count.`,
  };
}

function list(items: string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
