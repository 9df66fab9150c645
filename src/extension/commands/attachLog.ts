import { offeredProcesses } from '../../core/host/processNoise.ts';
import type { ProcessEntry } from '../../core/host/processes.ts';
import { log } from '../log.ts';

/** What an attach found, for Output → VNF Lens: the first place to look when the picker shows nothing useful. */
export function logProcessList(where: string, procs: readonly ProcessEntry[]): void {
  const { shown, hidden } = offeredProcesses(procs);
  const routers = shown.filter((p) => p.router);
  log().info(`attach: ${procs.length} processes listed on ${where}; ${shown.length} offered, ${hidden} left out (VNF Lens's own ps, the editor's and browser's processes), ${procs.length - shown.length - hidden} kernel threads`);
  if (routers.length === 0) log().info(`attach: no router recognised on ${where}`);
  for (const p of routers) {
    const r = p.router!;
    const config = r.configFiles.length > 0 ? `, config ${r.configFiles.join(', ')}` : '';
    log().info(`attach: router ${r.name} (${r.kind}) pid ${p.pid}${config}; packet counters: ${p.counters ?? 'none found on its command line'}`);
  }
}

export function logPicked(where: string, picked: readonly ProcessEntry[]): void {
  log().info(`attach: picked on ${where}: ${picked.map((p) => `pid ${p.pid} ${p.router?.name ?? p.argv[0] ?? ''}`).join(', ')}`);
}
