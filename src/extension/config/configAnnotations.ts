import * as vscode from 'vscode';
import { packetCost, type PacketMetrics } from '../../core/fingerprint/packetMetrics.ts';
import { formatBps, formatCost, formatDropPercent, formatPps, packetFragment } from '../../core/ui/packetText.ts';
import { annotationAnchors, type AnnotationAnchor } from '../../core/config/annotationAnchors.ts';
import { cpuRateText } from '../../core/ui/cpuRateText.ts';
import { parseRouterConfig } from '../../core/config/routerConfig.ts';
import type { SourceRange } from '../../core/config/sourceText.ts';
import type { Inference } from '../../core/inference/engine.ts';
import { Disposable } from '../disposable.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import type { ConfigLinks } from './configLinks.ts';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'click' },
  { language: 'vpp-config' },
  { pattern: '**/*.{click,conf,cli,vpp,gate}' },
];

/**
 * The live inference inside the router's own config: a CodeLens at each device element
 * or interface, a hover with details and a short history, and a warning on the file
 * while the router is in the lossy regime. Config syntax problems show as errors.
 */
export class ConfigAnnotations extends Disposable implements vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('vnf-lens'));
  private readonly onDidChangeCodeLensesEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.onDidChangeCodeLensesEmitter.event;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly anchorCache = new Map<string, { version: number; anchors: AnnotationAnchor[]; problems: vscode.Diagnostic[] }>();

  constructor(
    private readonly links: ConfigLinks,
    sessions: SessionManager,
  ) {
    super();
    this.register(vscode.languages.registerCodeLensProvider(SELECTOR, this));
    this.register(vscode.languages.registerHoverProvider(SELECTOR, this));
    this.register(links.onDidChange(() => this.refreshSoon()));
    this.register(sessions.onDidAdd((s) => s.register(s.onStep(() => this.refreshSoon()))));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.anchorCache.delete(e.document.uri.toString())));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.anchorCache.delete(d.uri.toString())));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const session = this.links.sessionFor(doc.uri);
    const { anchors } = this.parse(doc);
    if (!session) return [];
    const inf = latestOf(session);
    const packets = session.pipeline.newestPackets([...session.pipeline.latest.keys()].pop());
    const who = sessionLabel(session);
    return anchors.map(
      (a) =>
        new vscode.CodeLens(toRange(a.range), {
          title: inf ? `${lensTitle(inf)}${packetsOf(session)} — ${who}` : packets ? `$(pulse) ${packetFragment(packets)} — ${who}` : `$(pulse) ${who}: ${session.status}, waiting for the first interval`,
          tooltip: `${a.what}: the inference of ${session.title} (${session.source.kind === 'live' ? 'live' : 'replay'}, ${session.status}${session.statusReason ? `: ${session.statusReason}` : ''}). Click to open its panel.`,
          command: 'vnfLens.showPanel',
          arguments: [session.id],
        }),
    );
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const session = this.links.sessionFor(doc.uri);
    if (!session) return undefined;
    const anchor = this.parse(doc).anchors.find((a) => toRange(a.range).contains(pos));
    if (!anchor) return undefined;
    const md = new vscode.MarkdownString(hoverText(anchor, session));
    md.supportThemeIcons = true;
    return new vscode.Hover(md, toRange(anchor.range));
  }

  private parse(doc: vscode.TextDocument): { anchors: AnnotationAnchor[]; problems: vscode.Diagnostic[] } {
    const key = doc.uri.toString();
    const cached = this.anchorCache.get(key);
    if (cached && cached.version === doc.version) return cached;
    const rc = parseRouterConfig(doc.uri.fsPath, doc.getText());
    const anchors = rc ? annotationAnchors(rc) : [];
    const problems = (rc?.config.diagnostics ?? []).map((d) => {
      const diag = new vscode.Diagnostic(toRange(d.range), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diag.source = 'vnf-lens';
      return diag;
    });
    const entry = { version: doc.version, anchors, problems };
    this.anchorCache.set(key, entry);
    return entry;
  }

  /** Lenses and the lossy warning follow the sessions, at most once a second. */
  private refreshSoon(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.onDidChangeCodeLensesEmitter.fire();
      this.updateDiagnostics();
    }, 1000);
  }

  private updateDiagnostics(): void {
    for (const doc of vscode.workspace.textDocuments) {
      const session = this.links.sessionFor(doc.uri);
      const { anchors, problems } = this.parse(doc);
      const out = [...problems];
      const inf = session ? latestOf(session) : undefined;
      if (session && inf?.loss === 'lossy') {
        const since = lossySince(session);
        for (const a of anchors.length > 0 ? anchors : [{ range: firstLine(), what: 'router' }]) {
          const d = new vscode.Diagnostic(
            toRange(a.range),
            `VNF Lens: ${session.title} is in the lossy regime${since !== undefined ? ` since t=${since.toFixed(1)} s` : ''} (loss score ${fmt(inf.lossScore)}): the router is likely dropping packets at this traffic.`,
            vscode.DiagnosticSeverity.Warning,
          );
          d.source = 'vnf-lens';
          d.code = 'lossy-regime';
          out.push(d);
        }
      }
      if (out.length > 0) this.diagnostics.set(doc.uri, out);
      else this.diagnostics.delete(doc.uri);
    }
  }
}

/** Which session a lens shows, and whether it has ended: 'testpmd @ this machine' or 'vpp-on-off.vnflens, ended 14:02'. */
function sessionLabel(s: Session): string {
  if (s.status !== 'ended') return s.title;
  const at = s.endedAt ? ` ${s.endedAt.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}` : '';
  return `${s.title}, ended${at}`;
}

function latestOf(s: Session): Inference | undefined {
  return [...s.pipeline.latest.values()].pop();
}

/** Start of the current lossy stretch, from the stream's recent history. */
function lossySince(s: Session): number | undefined {
  const h = s.pipeline.recent([...s.pipeline.latest.keys()].pop() ?? '');
  let since: number | undefined;
  for (let i = h.length - 1; i >= 0 && h[i]!.loss === 'lossy'; i--) since = h[i]!.t;
  return since;
}

/** " · 4.85 Mpps · 1.6 % dropped" beside the state, when the router's own counters are read. */
function packetsOf(s: Session): string {
  const p = s.pipeline.newestPackets([...s.pipeline.latest.keys()].pop());
  return p ? ` · ${packetFragment(p)}` : '';
}

function packetHover(p: PacketMetrics): string {
  const cost = packetCost(p);
  const parts = [`throughput: **${formatPps(p.pps)}**${p.bps !== null ? ` (${formatBps(p.bps)})` : ''}`, `dropped: **${formatDropPercent(p.dropRatio)}** (${formatPps(p.dropsPerSecond)})`];
  if (cost) parts.push(`cost: **${formatCost(cost)}**${cost.unit === 'ns' ? ' of CPU time' : ''}`);
  return `${parts.join(' · ')}${p.source ? ` — from ${p.source}` : ''}`;
}

function lensTitle(inf: Inference): string {
  const state = inf.state === 'processing' ? '$(play-circle) processing' : inf.state === 'idle' ? '$(circle-large-outline) idle' : '$(question) state unknown';
  const loss = inf.loss === 'lossy' ? ' · $(warning) lossy' : inf.loss === 'clean' ? ' · clean' : '';
  const scen = inf.scenario ? ` · ${inf.scenario} (${fmt(inf.similarity)}, margin ${fmt(inf.margin)})` : '';
  const rate = inf.state === 'processing' ? cpuRateText(inf) : null;
  return `${state}${loss}${scen}${rate ? ` · ${rate}` : ''}`;
}

function hoverText(anchor: AnnotationAnchor, s: Session): string {
  const inf = latestOf(s);
  const lines = [`**VNF Lens** — \`${anchor.what}\``, `session: ${sessionLabel(s)} (${s.source.kind === 'live' ? 'live' : 'replay'}${s.status === 'ended' ? '' : `, ${s.status}`})`];
  const packets = s.pipeline.newestPackets([...s.pipeline.latest.keys()].pop());
  if (packets) lines.push('', packetHover(packets));
  if (!inf) return [...lines, '', packets ? 'No inference (no model is active).' : 'No interval yet.'].join('  \n');
  lines.push(
    '',
    `state: **${inf.state}** (confidence ${fmt(inf.stateConfidence)})`,
    `loss regime: **${inf.loss}** (score ${fmt(inf.lossScore)})`,
    inf.scenario ? `scenario: **${inf.scenario}** (similarity ${fmt(inf.similarity)}), runner-up ${inf.runnerUp ?? '–'} (${fmt(inf.runnerUpSimilarity)}), margin ${fmt(inf.margin)}` : 'scenario: none close enough',
    `packet rate: ${cpuRateText(inf) ?? `no estimate${inf.ppsReason ? ` (${inf.ppsReason})` : ''}`}`,
  );
  const recent = s.pipeline.recent([...s.pipeline.latest.keys()].pop() ?? '').slice(-8);
  if (recent.length > 1) {
    lines.push('', '| t (s) | state | loss | scenario |', '|---:|---|---|---|');
    for (const r of recent.reverse()) lines.push(`| ${r.t.toFixed(1)} | ${r.state} | ${r.loss} | ${r.scenario ?? '–'} |`);
  }
  return lines.join('  \n').replace(/ {2}\n\|/g, '\n|');
}

function fmt(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(2);
}

function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.start.line - 1, r.start.column - 1, r.end.line - 1, r.end.column - 1);
}

function firstLine(): SourceRange {
  return { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
}
