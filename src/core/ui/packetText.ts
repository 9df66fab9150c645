/**
 * How packet figures read wherever they are shown (panel card, status bar, Sessions
 * view, CodeLens, CLI): one wording and one precision everywhere. Pure functions:
 * shared by the extension and the webview.
 */

/** 4_850_000 -> "4.85 Mpps", 12_300 -> "12.3 kpps", 0 -> "0 pps". */
export function formatPps(pps: number): string {
  if (!Number.isFinite(pps)) return '– pps';
  if (pps >= 1e6) return `${sig(pps / 1e6)} Mpps`;
  if (pps >= 1e3) return `${sig(pps / 1e3)} kpps`;
  return `${Math.round(pps)} pps`;
}

/** Mpps as a bare number for compact places (status bar): 4.85, 0.012. */
export function mpps(pps: number): string {
  return Number.isFinite(pps) ? sig(pps / 1e6) : '–';
}

/** 5_000_000_000 -> "5.00 Gbit/s", 3_400_000 -> "3.40 Mbit/s". */
export function formatBps(bps: number): string {
  if (!Number.isFinite(bps)) return '– bit/s';
  if (bps >= 1e9) return `${sig(bps / 1e9)} Gbit/s`;
  if (bps >= 1e6) return `${sig(bps / 1e6)} Mbit/s`;
  if (bps >= 1e3) return `${sig(bps / 1e3)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

/** A drop ratio as a percentage with the precision small losses need: "0 %", "0.012 %", "1.5 %", "37 %". */
export function formatDropPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '– %';
  const p = ratio * 100;
  if (p === 0) return '0 %';
  if (p < 0.01) return '<0.01 %';
  return `${p < 10 ? sig(p) : Math.round(p)} %`;
}

/** A cost per packet with its unit: "534 cycles/pkt", "206 ns/pkt", "1.2 µs/pkt". */
export function formatCost(cost: { value: number; unit: 'cycles' | 'ns' }): string {
  const v = cost.value;
  if (!Number.isFinite(v)) return `– ${cost.unit}/pkt`;
  if (cost.unit === 'ns' && v >= 1e6) return `${sig(v / 1e6)} ms/pkt`;
  if (cost.unit === 'ns' && v >= 1e3) return `${sig(v / 1e3)} µs/pkt`;
  if (cost.unit === 'cycles' && v >= 1e6) return `${sig(v / 1e6)}M cycles/pkt`;
  if (cost.unit === 'cycles' && v >= 1e4) return `${sig(v / 1e3)}k cycles/pkt`;
  return `${v >= 100 ? Math.round(v) : sig(v)} ${cost.unit}/pkt`;
}

/**
 * The short packet fragment of status lines (status bar, Sessions view, CodeLens):
 * "4.85 Mpps", plus the drop share when the router dropped anything: "4.85 Mpps · 1.59 % dropped".
 */
export function packetFragment(m: { pps: number; dropRatio: number | null; dropsPerSecond: number }): string {
  const drops = m.dropsPerSecond > 0 && m.dropRatio !== null ? ` · ${formatDropPercent(m.dropRatio)} dropped` : '';
  return `${formatPps(m.pps)}${drops}`;
}

/** Three significant digits, no exponent, trailing zeros kept only where they carry precision. */
function sig(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}
