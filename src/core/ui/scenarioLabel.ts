import { parseScenarioLabel } from '../../protocol.ts';

/**
 * Splits a scenario label into router group, rate and packet size. Models built from
 * several routers prefix the router (`fastclick:5000-64`); plain labels (`5000-64`,
 * `500_imix`) have no group.
 */
export function splitScenarioLabel(label: string): { group: string | null; rate: number | null; size: string | null } {
  const colon = label.lastIndexOf(':');
  const group = colon > 0 ? label.slice(0, colon).trim() : null;
  const { rate, size } = parseScenarioLabel(colon > 0 ? label.slice(colon + 1) : label);
  return { group: group === '' ? null : group, rate, size };
}
