/** What perf and the counter readers attach to on a host: a whole process or one thread. */
export type Attach = { pid: number } | { tid: number };

export function describeAttach(a: Attach): string {
  return 'pid' in a ? `process ${a.pid}` : `thread ${a.tid}`;
}

export function idOf(a: Attach): number {
  return 'pid' in a ? a.pid : a.tid;
}
