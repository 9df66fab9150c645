/**
 * What the live panel charts, grouped as in the ITC 2021 paper (computation,
 * caches, TLB), plus the software events that still count on hosts without a
 * hardware PMU (VMs, containers). Pure data: shared by the frame builder and the webview.
 */
export type ChartGroupId = 'computation' | 'caches' | 'tlb' | 'os';

export interface ChartSeries {
  /** Canonical event name (a key of Frame.rates) or derived metric (a key of Frame.derived). */
  key: string;
  kind: 'rate' | 'derived';
  label: string;
}

export interface ChartGroup {
  id: ChartGroupId;
  title: string;
  /** Hardware groups stay empty on hosts without a PMU; the panel says so instead of drawing nothing. */
  hardware: boolean;
  series: readonly ChartSeries[];
}

const rate = (key: string, label = key): ChartSeries => ({ key, kind: 'rate', label });

export const CHART_GROUPS: readonly ChartGroup[] = [
  { id: 'computation', title: 'Computation', hardware: true, series: [rate('instructions'), rate('branches'), rate('branch-misses'), { key: 'ipc', kind: 'derived', label: 'IPC' }] },
  { id: 'caches', title: 'Caches', hardware: true, series: [rate('cache-references'), rate('L1-dcache-load-misses'), rate('L1-icache-load-misses'), rate('cache-misses')] },
  { id: 'tlb', title: 'TLB', hardware: true, series: [rate('dTLB-stores'), rate('dTLB-store-misses'), rate('iTLB-loads'), rate('iTLB-load-misses')] },
  { id: 'os', title: 'OS (software events)', hardware: false, series: [rate('task-clock', 'task-clock (ms/s)'), rate('context-switches'), rate('page-faults'), rate('cpu-migrations')] },
];

/** Every series of every group, in chart order. */
export const CHART_SERIES: readonly ChartSeries[] = CHART_GROUPS.flatMap((g) => g.series);

/** Events whose per-second rates a frame carries. */
export const CHART_EVENTS: ReadonlySet<string> = new Set(CHART_SERIES.filter((s) => s.kind === 'rate').map((s) => s.key));

/** Kernel software events: counted by every Linux perf, PMU or not (canonical names and perf's aliases). */
const SOFTWARE_EVENTS: ReadonlySet<string> = new Set([
  'task-clock',
  'cpu-clock',
  'context-switches',
  'cs',
  'cpu-migrations',
  'migrations',
  'page-faults',
  'faults',
  'minor-faults',
  'major-faults',
  'alignment-faults',
  'emulation-faults',
  'dummy',
  'bpf-output',
  'duration_time',
  'user_time',
  'system_time',
]);

export function isSoftwareEvent(name: string): boolean {
  return SOFTWARE_EVENTS.has(name);
}
