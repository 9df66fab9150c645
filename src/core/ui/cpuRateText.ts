import { formatPps } from './packetText.ts';

/** The packet-rate estimate from the CPU alone, as shown beside the other answers (CodeLens, panel, compare). */
export interface CpuRate {
  pps: number | null;
  ppsRange: [number, number] | null;
}

/** `≈ 4.12 Mpps from the CPU (1.67–11.2 Mpps)`; null when the model gave no estimate. */
export function cpuRateText(r: CpuRate): string | null {
  if (r.pps === null || r.ppsRange === null) return null;
  if (r.pps === 0 && r.ppsRange[1] === 0) return '0 pps from the CPU (idle)';
  return `≈ ${formatPps(r.pps)} from the CPU (${formatPps(r.ppsRange[0]).replace(/ .*$/, '')}${sameUnit(r.ppsRange[0], r.ppsRange[1]) ? '' : ` ${unitOf(r.ppsRange[0])}`}–${formatPps(r.ppsRange[1])})`;
}

/** How the CPU estimate compares with the router's own packet rate: inside its range or not, and by how much. */
export interface RateAgreement {
  inRange: boolean;
  /** estimate / router's rate − 1 (0.05: the CPU says 5 % more). */
  relative: number;
  text: string;
}

export function rateAgreement(r: CpuRate, routerPps: number): RateAgreement | null {
  if (r.pps === null || r.ppsRange === null || !Number.isFinite(routerPps)) return null;
  const inRange = routerPps >= r.ppsRange[0] && routerPps <= r.ppsRange[1];
  if (routerPps <= 0) return { inRange, relative: r.pps > 0 ? Infinity : 0, text: r.pps > 0 ? 'the router counts no packets; the CPU estimate does' : 'both say no packets' };
  const relative = r.pps / routerPps - 1;
  const pct = Math.round(Math.abs(relative) * 100);
  const side = pct === 0 ? 'the same as' : `${pct} % ${relative > 0 ? 'above' : 'below'}`;
  return { inRange, relative, text: `CPU estimate ${side} the router's own count, ${inRange ? 'inside' : 'outside'} its range` };
}

function unitOf(pps: number): string {
  return formatPps(pps).replace(/^[^ ]* /, '');
}

function sameUnit(a: number, b: number): boolean {
  return unitOf(a) === unitOf(b);
}
