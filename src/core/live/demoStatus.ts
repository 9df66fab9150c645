import { existsSync, readFileSync } from 'node:fs';

/**
 * What `npm start` (scripts/start.sh) says about the demo router, in the demo workspace's
 * `.vnf-lens/demo.json`: whether it runs, which lab it is, and why not when it does not.
 */
export interface DemoStatus {
  /** `up`: running and checked; the rest say why there is no demo router (or a lesser one). */
  router: 'up' | 'null-devices' | 'no-dpdk' | 'no-tun' | 'not-root' | 'no-python' | 'failed';
  pid?: number;
  /** One line for people: what runs, or why not. */
  detail: string;
}

export const DEMO_STATUS_FILE = '.vnf-lens/demo.json';
const KINDS = new Set(['up', 'null-devices', 'no-dpdk', 'no-tun', 'not-root', 'no-python', 'failed']);

/**
 * Reads the status file; undefined when there is none (not the demo workspace). A router
 * said to be up whose process is gone (npm start was stopped) reads as `failed`, with why.
 */
export function readDemoStatus(path: string, alive: (pid: number) => boolean = pidAlive): DemoStatus | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { router: 'failed', detail: `the demo status file ${path} is not JSON (${(e as Error).message})` };
  }
  const o = raw as Partial<DemoStatus>;
  if (typeof o.router !== 'string' || !KINDS.has(o.router)) return { router: 'failed', detail: `the demo status file ${path} names no known router state` };
  const detail = typeof o.detail === 'string' ? o.detail : '';
  const pid = typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 ? o.pid : undefined;
  if ((o.router === 'up' || o.router === 'null-devices') && pid !== undefined && !alive(pid)) {
    return { router: 'failed', pid, detail: `the demo router (pid ${pid}) has stopped: npm start ended or the router died` };
  }
  return { router: o.router, ...(pid !== undefined ? { pid } : {}), detail };
}

function pidAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}
