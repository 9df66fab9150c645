/**
 * What the live panel charts, grouped as in the ITC 2021 paper (computation,
 * caches, TLB), plus the software events that still count on hosts without a
 * hardware PMU (VMs, containers). Pure data: shared by the frame builder and the webview.
 */
export type ChartGroupId = 'cost' | 'computation' | 'caches' | 'tlb' | 'os';

/** Fields of Frame.packets the panel keeps per interval (the throughput card reads them all). */
export type PacketField = 'pps' | 'txPps' | 'dropsPerSecond' | 'dropRatio' | 'bps' | 'cyclesPerPacket' | 'instructionsPerPacket' | 'cpuNsPerPacket';
export const PACKET_FIELDS: readonly PacketField[] = ['pps', 'txPps', 'dropsPerSecond', 'dropRatio', 'bps', 'cyclesPerPacket', 'instructionsPerPacket', 'cpuNsPerPacket'];

export interface ChartSeries {
  /** Canonical event name (a key of Frame.rates), derived metric (a key of Frame.derived) or packet field (of Frame.packets). */
  key: string;
  kind: 'rate' | 'derived' | 'packets';
  label: string;
  /** The axis it is drawn on: `y` (left, log) or `y1` (right, linear from 0). */
  axis: 'y' | 'y1';
  /** Drawn only when the stream has no value of this series (a fallback: CPU time per packet where cycles are not counted). */
  unless?: string;
}

export interface ChartAxis {
  title: string;
  /** How tick values read: plain numbers, SI-prefixed counts, or packets/s as Mpps. */
  ticks: 'plain' | 'si' | 'mpps';
}

export interface ChartGroup {
  id: ChartGroupId;
  title: string;
  /** Hardware groups stay empty on hosts without a PMU; the panel says so instead of drawing nothing. */
  hardware: boolean;
  series: readonly ChartSeries[];
  /** Left axis (log scale) and, when a series uses it, the right axis (linear, from 0). */
  axes: { y: ChartAxis; y1?: ChartAxis };
}

const rate = (key: string, label = key): ChartSeries => ({ key, kind: 'rate', label, axis: 'y' });
const PER_SECOND: ChartAxis = { title: 'per second', ticks: 'si' };

export const CHART_GROUPS: readonly ChartGroup[] = [
  {
    id: 'cost',
    title: 'Cost per packet',
    hardware: false,
    series: [
      { key: 'cyclesPerPacket', kind: 'packets', label: 'cycles/pkt', axis: 'y' },
      { key: 'instructionsPerPacket', kind: 'packets', label: 'instructions/pkt', axis: 'y' },
      { key: 'cpuNsPerPacket', kind: 'packets', label: 'CPU ns/pkt', axis: 'y', unless: 'cyclesPerPacket' },
      { key: 'pps', kind: 'packets', label: 'received (Mpps)', axis: 'y1' },
      { key: 'dropsPerSecond', kind: 'packets', label: 'dropped (Mpps)', axis: 'y1' },
    ],
    axes: { y: { title: 'per packet', ticks: 'si' }, y1: { title: 'Mpps', ticks: 'mpps' } },
  },
  {
    id: 'computation',
    title: 'Computation',
    hardware: true,
    series: [rate('instructions'), rate('branches'), rate('branch-misses'), { key: 'ipc', kind: 'derived', label: 'IPC', axis: 'y1' }],
    axes: { y: PER_SECOND, y1: { title: 'IPC', ticks: 'plain' } },
  },
  { id: 'caches', title: 'Caches', hardware: true, series: [rate('cache-references'), rate('L1-dcache-load-misses'), rate('L1-icache-load-misses'), rate('cache-misses')], axes: { y: PER_SECOND } },
  { id: 'tlb', title: 'TLB', hardware: true, series: [rate('dTLB-stores'), rate('dTLB-store-misses'), rate('iTLB-loads'), rate('iTLB-load-misses')], axes: { y: PER_SECOND } },
  {
    id: 'os',
    title: 'OS (software events)',
    hardware: false,
    // CPU time is a share of the interval (1000 ms/s = one CPU busy), not a count: it gets its own linear axis.
    series: [
      { key: 'task-clock', kind: 'rate', label: 'task-clock (ms/s)', axis: 'y1' },
      { key: 'cpu-clock', kind: 'rate', label: 'cpu-clock (ms/s)', axis: 'y1' },
      rate('context-switches'),
      rate('cpu-migrations'),
      rate('page-faults'),
      rate('minor-faults'),
      rate('major-faults'),
    ],
    axes: { y: { title: 'events per second', ticks: 'si' }, y1: { title: 'CPU time, ms/s (1000 = one CPU)', ticks: 'plain' } },
  },
];

/** Every series of every group, in chart order. */
export const CHART_SERIES: readonly ChartSeries[] = CHART_GROUPS.flatMap((g) => g.series);

/** What the panel keeps per interval: the charted series plus every packet field (the throughput card). */
export const HISTORY_SERIES: readonly ChartSeries[] = [
  ...CHART_SERIES,
  ...PACKET_FIELDS.filter((f) => !CHART_SERIES.some((s) => s.kind === 'packets' && s.key === f)).map((f): ChartSeries => ({ key: f, kind: 'packets', label: f, axis: 'y' })),
];

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
