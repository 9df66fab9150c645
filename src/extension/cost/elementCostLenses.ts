import * as vscode from 'vscode';
import { parseClickConfig } from '../../core/config/click/clickParser.ts';
import type { ClickElement } from '../../core/config/click/clickTypes.ts';
import type { SourceRange } from '../../core/config/sourceText.ts';
import { costProvenance, formatPerPacket, formatShare } from '../../core/ui/costText.ts';
import type { CostBar, ElementCostView } from '../../protocol.ts';
import { Disposable } from '../disposable.ts';
import type { ConfigLinks } from '../config/configLinks.ts';
import type { ElementCostController } from './elementCostController.ts';

const SELECTOR: vscode.DocumentSelector = [{ language: 'click' }, { pattern: '**/*.click' }];

/**
 * Each element declaration of a linked Click config gets its share of the router's
 * CPU and its CPU time per packet as a CodeLens, and the details in a hover: which
 * elements share the class, how the window was sampled, what perf itself cost.
 */
export class ElementCostLenses extends Disposable implements vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly onDidChangeCodeLensesEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.onDidChangeCodeLensesEmitter.event;

  constructor(
    private readonly links: ConfigLinks,
    costs: ElementCostController,
  ) {
    super();
    this.register(vscode.languages.registerCodeLensProvider(SELECTOR, this));
    this.register(vscode.languages.registerHoverProvider(SELECTOR, this));
    this.register(costs.onDidChange(() => this.onDidChangeCodeLensesEmitter.fire()));
    this.register(links.onDidChange(() => this.onDidChangeCodeLensesEmitter.fire()));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const at = this.costFor(doc);
    if (!at) return [];
    const { cost, sessionId } = at;
    const elements = declaredElements(doc);
    const command = (title: string, tooltip: string): vscode.Command => ({ title, tooltip, command: 'vnfLens.showPanel', arguments: [sessionId] });
    if (cost.byModule) {
      const first = elements[0];
      if (!first) return [];
      const top = cost.bars.slice(0, 3).map((b) => `${b.label} ${formatShare(b.share)}`).join(' · ');
      return [new vscode.CodeLens(toRange(first.range), command(`$(flame) by module: ${top}`, cost.note ?? 'no per-element cost'))];
    }
    return elements.flatMap((e) => {
      const bar = barOf(cost, e);
      if (!bar) return [];
      const per = formatPerPacket(bar);
      const shared = bar.shared ? ` · class ${e.className}, shared by ${bar.detail?.split(' (')[0]}` : '';
      return [new vscode.CodeLens(toRange(e.range), command(`$(flame) ${formatShare(bar.share)} of CPU${per ? ` · ${per}` : ''}${shared}`, costProvenance(cost)))];
    });
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const at = this.costFor(doc);
    if (!at) return undefined;
    const e = declaredElements(doc).find((x) => toRange(x.range).contains(pos));
    if (!e) return undefined;
    const { cost } = at;
    const bar = cost.byModule ? undefined : barOf(cost, e);
    const lines = [`**VNF Lens element cost** — \`${e.name} :: ${e.className}\``];
    if (bar) {
      const err = bar.shareError !== undefined ? ` ± ${(bar.shareError * 100).toFixed(1)} points` : '';
      lines.push(`share of the router's CPU: **${formatShare(bar.share)}**${err}${formatPerPacket(bar) ? ` · **${formatPerPacket(bar)}** of CPU time` : ''}`);
      if (bar.shared) lines.push(`${bar.detail}: samples cannot tell elements of one C++ class apart`);
    } else if (cost.note) lines.push(cost.note);
    lines.push('', costProvenance(cost), `window ended ${new Date(cost.at).toLocaleTimeString()}`);
    const top = cost.bars.slice(0, 6).map((b) => `| ${b.label} | ${b.detail ?? ''} | ${formatShare(b.share)} | ${formatPerPacket(b) || '–'} |`);
    lines.push('', `| ${cost.byModule ? 'module' : 'class'} | | CPU | per packet |`, '|---|---|---:|---:|', ...top);
    const md = new vscode.MarkdownString(lines.join('  \n').replace(/ {2}\n\|/g, '\n|'));
    return new vscode.Hover(md, toRange(e.range));
  }

  private costFor(doc: vscode.TextDocument): { cost: ElementCostView; sessionId: string } | undefined {
    const s = this.links.sessionFor(doc.uri);
    return s?.cost && s.cost.source === 'perf-record' ? { cost: s.cost, sessionId: s.id } : undefined;
  }
}

function barOf(cost: ElementCostView, e: ClickElement): CostBar | undefined {
  return cost.bars.find((b) => b.label === e.className);
}

/** Top-level declarations written as `name :: Class` (not anonymous elements in a chain). */
function declaredElements(doc: vscode.TextDocument): ClickElement[] {
  return parseClickConfig(doc.getText()).elements.filter((e) => e.compound === undefined && !e.anonymous);
}

function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.start.line - 1, r.start.column - 1, r.end.line - 1, r.end.column - 1);
}
