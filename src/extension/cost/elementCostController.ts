import * as vscode from 'vscode';
import { parseClickConfig } from '../../core/config/click/clickParser.ts';
import { clickElementsForCost } from '../../core/cost/configElements.ts';
import { CostSampler, type CostWindow } from '../../core/cost/costSampler.ts';
import { elementCostView } from '../../core/cost/costView.ts';
import { ovsView, vppRecord, vppView, windowRecord } from '../../core/cost/costRecords.ts';
import { RouterCostPoller, type RouterCostKind } from '../../core/cost/routerCostPoller.ts';
import type { VppNodeCost } from '../../core/cost/vppRuntime.ts';
import { recognizeRouter } from '../../core/host/routers.ts';
import type { ConfigElement } from '../../core/cost/elementCost.ts';
import type { HostRunner } from '../../core/host/host.ts';
import { openHost } from '../../core/host/openHost.ts';
import { Disposable } from '../disposable.ts';
import type { ConfigLinks } from '../config/configLinks.ts';
import { log } from '../log.ts';
import { LiveSource } from '../sessions/liveSource.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { readCostSettings } from './costSettings.ts';

interface Running {
  /** perf record on a router with symbols (Click, FastClick, any binary)… */
  sampler?: CostSampler;
  /** …or the router's own cost counters (VPP show runtime, OVS pmd-stats-show). */
  poller?: RouterCostPoller;
  /** VPP: every node's work in the newest period, for the CLI-script lenses. */
  nodes?: VppNodeCost[];
  host: HostRunner;
  /** The process sampled: the router's newest revision. */
  pid?: number;
  dispose?: () => void;
  /** The .click file whose elements the samples are attributed to, if one is linked. */
  config: string | undefined;
  elements: ConfigElement[];
  last?: CostWindow;
}

/**
 * Element cost for live sessions: `perf record -e cpu-clock` at a low rate on the
 * router's host, attributed to the elements of the linked Click config. It starts
 * by itself when a .click file is linked to a live session (setting
 * `vnfLens.elementCost.auto`), and the Start/Stop command toggles it for any live
 * session. Each session's sampler ends with the session.
 */
export class ElementCostController extends Disposable {
  private readonly running = new Map<string, Running>();
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<Session>());
  /** A session's cost changed (new window, started, stopped). */
  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor(
    private readonly sessions: SessionManager,
    private readonly links: ConfigLinks,
  ) {
    super();
    this.register(links.onDidChange(() => this.autoStart()));
    this.register(sessions.onDidChange(() => this.stopEnded()));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.configChanged(d.uri.fsPath)));
    this.register({ dispose: () => void Promise.all([...this.running.keys()].map((id) => this.stop(id))) });
  }

  isRunning(s: Session): boolean {
    return this.running.has(s.id);
  }

  /** VPP: every node's work in the newest period (the CLI-script lenses match their commands' nodes in it). */
  vppNodes(s: Session): VppNodeCost[] | undefined {
    return this.running.get(s.id)?.nodes;
  }

  async toggle(s: Session): Promise<void> {
    if (this.running.has(s.id)) {
      await this.stop(s.id);
      s.notice('info', 'element cost sampling stopped');
      return;
    }
    await this.start(s);
  }

  private autoStart(): void {
    if (!readCostSettings().auto) return;
    for (const s of this.sessions.all) {
      if (s.source.kind !== 'live' || !s.isActive || this.running.has(s.id)) continue;
      if ([...s.linkedConfigs].some((f) => f.endsWith('.click')) || routerCostKind(s) !== undefined) void this.start(s);
    }
  }

  private async start(s: Session): Promise<void> {
    if (!(s.source instanceof LiveSource) || !s.isActive) throw new Error(`${s.title} is not a live session: element cost samples a running router`);
    const pid = newestPid(s) ?? s.source.pids[0]!;
    const config = [...s.linkedConfigs].find((f) => f.endsWith('.click'));
    const elements = config ? await readElements(config) : [];
    const settings = readCostSettings();
    const host = await openHost(s.source.target);
    if (this.running.has(s.id) || !s.isActive) {
      await host.close();
      return;
    }
    const source = s.source;
    const stream = streamOf(s);
    const counters = routerCostKind(s);
    if (counters) {
      const entry: Running = { host, config: undefined, elements: [] };
      entry.poller = new RouterCostPoller(
        host,
        counters,
        settings.windowSeconds,
        (r) => {
          const pps = s.pipeline.newestPackets()?.pps ?? null;
          if (r.nodes) {
            entry.nodes = r.nodes;
            source.recordCost(vppRecord(r.nodes, r.at, r.windowS, stream));
            s.setCost(vppView(r.nodes, r.at, r.windowS, pps));
          } else if (r.pmds) {
            source.recordCost({ stream, at: r.at, source: 'ovs-pmd', windowS: r.windowS, pmds: r.pmds });
            s.setCost(ovsView(r.pmds, r.at, r.windowS, pps));
          }
          this.onDidChangeEmitter.fire(s);
        },
        (m) => {
          s.notice('warning', m);
          void this.stop(s.id);
        },
      );
      this.running.set(s.id, entry);
      entry.poller.start();
      s.notice('info', `node cost: reading ${entry.poller.argv().join(' ')} every ${settings.windowSeconds} s`);
      this.onDidChangeEmitter.fire(s);
      return;
    }
    const entry: Running = { host, config, elements };
    this.running.set(s.id, entry);
    this.startSampler(s, entry, pid);
    // A router restarted under a session that follows it: the sampler goes on with the new process.
    const follow = s.onRevisions(() => {
      const next = newestPid(s);
      if (next === undefined || next === entry.pid || this.running.get(s.id) !== entry) return;
      const old = entry.sampler;
      entry.sampler = undefined;
      void old?.stop().catch(() => undefined);
      log().info(`element cost for ${s.title}: the router restarted as PID ${next}`);
      this.startSampler(s, entry, next);
    });
    entry.dispose = () => follow.dispose();
    const what = config ? `the elements of ${vscode.workspace.asRelativePath(config)}` : 'classes and modules (no Click config linked)';
    s.notice('info', `element cost: sampling PID ${pid} with perf record -e cpu-clock at ${settings.frequencyHz} Hz in ${settings.windowSeconds} s windows (perf kept under ${(settings.maxCpuShare * 100).toFixed(1)} % of one CPU), attributed to ${what}`);
    log().info(`element cost started for ${s.title} (PID ${pid})`);
    this.onDidChangeEmitter.fire(s);
  }

  private startSampler(s: Session, entry: Running, pid: number): void {
    const settings = readCostSettings();
    const source = s.source as LiveSource;
    entry.pid = pid;
    const sampler: CostSampler = new CostSampler({
      host: entry.host,
      pid,
      frequencyHz: settings.frequencyHz,
      windowS: settings.windowSeconds,
      budget: settings.maxCpuShare,
      elements: () => entry.elements,
      onWindow: (w) => {
        entry.last = w;
        source.recordCost(windowRecord(w, streamOf(s)));
        s.setCost(elementCostView(w, s.pipeline.newestPackets()?.pps ?? null));
        this.onDidChangeEmitter.fire(s);
      },
      onNotice: (m) => {
        s.notice('warning', m);
        void this.stop(s.id);
      },
      // The session says whether the router comes back (a new revision) or not (it ends).
      onProcessGone: (gone) => {
        if (entry.sampler === sampler) entry.sampler = undefined;
        log().info(`element cost for ${s.title}: PID ${gone} exited; waiting for the session to follow its restart`);
      },
    });
    entry.sampler = sampler;
    sampler.start();
  }

  private async stop(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r) return;
    this.running.delete(id);
    r.dispose?.();
    r.poller?.stop();
    await r.sampler?.stop().catch(() => undefined);
    await r.host.close().catch(() => undefined);
    const s = this.sessions.find(id);
    if (s) this.onDidChangeEmitter.fire(s);
  }

  private stopEnded(): void {
    for (const id of [...this.running.keys()]) {
      const s = this.sessions.find(id);
      if (!s || !s.isActive) void this.stop(id);
    }
  }

  private configChanged(path: string): void {
    for (const r of this.running.values()) {
      if (r.config !== path) continue;
      void readElements(path).then((e) => (r.elements = e));
    }
  }
}

/** The PID of the session's newest revision still running, if the session follows its router. */
function newestPid(s: Session): number | undefined {
  const open = s.revisions.filter((r) => !r.end);
  return open[open.length - 1]?.pid;
}

/** The recording's stream name of the session's first router (it keeps its name across restarts). */
function streamOf(s: Session): string {
  return s.revisions[0]?.stream ?? `pid-${s.source.pids[0]}`;
}

/** VPP and OVS count their own cost per node / PMD: read those instead of sampling. */
function routerCostKind(s: Session): RouterCostKind | undefined {
  for (const p of s.processes) {
    const r = recognizeRouter(p.cmdline.split(/\s+/).filter((w) => w !== ''));
    if (r?.kind === 'vpp') return { kind: 'vpp' };
    if (r?.kind === 'ovs') return { kind: 'ovs' };
  }
  return undefined;
}

async function readElements(path: string): Promise<ConfigElement[]> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
    return clickElementsForCost(parseClickConfig(text));
  } catch (e) {
    log().warn(`element cost: cannot read ${path}: ${(e as Error).message}`);
    return [];
  }
}
