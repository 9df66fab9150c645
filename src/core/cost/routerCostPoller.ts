import type { HostRunner } from '../host/host.ts';
import { lastLines } from '../host/sshErrors.ts';
import type { CostRecord } from '../recording/format.ts';
import { ovsPmdDeltas, parseOvsPmdStatsTotals, type OvsPmdTotals } from './ovsPmdPerf.ts';
import { parseVppRuntimeTotals, vppRuntimeDeltas, type VppNodeCost, type VppNodeTotals } from './vppRuntime.ts';

export type RouterCostKind = { kind: 'vpp'; cliSocket?: string } | { kind: 'ovs' };

export interface RouterCostReading {
  at: string;
  windowS: number;
  nodes?: VppNodeCost[];
  pmds?: NonNullable<CostRecord['pmds']>;
}

/**
 * The router's own cost counters, read every `periodS` on its host: VPP's `show
 * runtime` (per node clocks, vectors, calls, suspends) or OVS's `pmd-stats-show`
 * (cycles and packets per PMD). Each reading after the first gives the deltas of
 * the period. A command that fails is one notice, and the poller stops.
 */
export class RouterCostPoller {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private prevVpp: VppNodeTotals[] | undefined;
  private prevOvs: OvsPmdTotals[] | undefined;
  private prevAt = 0;

  constructor(
    private readonly host: HostRunner,
    private readonly what: RouterCostKind,
    private readonly periodS: number,
    private readonly onReading: (r: RouterCostReading) => void,
    private readonly onNotice: (m: string) => void,
  ) {}

  argv(): string[] {
    return this.what.kind === 'vpp' ? ['vppctl', ...(this.what.cliSocket !== undefined ? ['-s', this.what.cliSocket] : []), 'show', 'runtime'] : ['ovs-appctl', 'dpif-netdev/pmd-stats-show'];
  }

  start(): void {
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const argv = this.argv();
    const r = await this.host.run(argv, { timeoutMs: 5000 }).catch((e: unknown) => ({ exitCode: undefined, stdout: '', stderr: (e as Error).message, notFound: false }));
    if (this.stopped) return;
    if (r.exitCode !== 0) {
      this.onNotice(`${argv.join(' ')} on ${this.host.label} failed: ${lastLines(r.stderr || r.stdout, 1) || `exit ${r.exitCode}`}; node cost is not read`);
      return;
    }
    const now = Date.now();
    const windowS = (now - this.prevAt) / 1000;
    const at = new Date(now).toISOString();
    if (this.what.kind === 'vpp') {
      const totals = parseVppRuntimeTotals(r.stdout);
      if (this.prevVpp) this.onReading({ at, windowS, nodes: vppRuntimeDeltas(this.prevVpp, totals) });
      this.prevVpp = totals;
    } else {
      const totals = parseOvsPmdStatsTotals(r.stdout);
      if (this.prevOvs) this.onReading({ at, windowS, pmds: ovsPmdDeltas(this.prevOvs, totals) });
      this.prevOvs = totals;
    }
    this.prevAt = now;
    this.timer = setTimeout(() => void this.tick(), this.periodS * 1000);
  }
}
