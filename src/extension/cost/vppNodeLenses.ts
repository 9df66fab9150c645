import * as vscode from 'vscode';
import { parseRouterConfig } from '../../core/config/routerConfig.ts';
import type { SourceRange } from '../../core/config/sourceText.ts';
import { matchNodes, vppNodesFor } from '../../core/cost/vppRuntime.ts';
import { Disposable } from '../disposable.ts';
import type { ConfigLinks } from '../config/configLinks.ts';
import type { ElementCostController } from './elementCostController.ts';

const SELECTOR: vscode.DocumentSelector = [{ language: 'vpp-config' }, { pattern: '**/*.{cli,vpp,gate}' }];

/**
 * On a linked VPP CLI script, the lines that turn on a node's feature (an interface
 * brought up, an address, a route, an L2 cross-connect or bridge, an ACL, NAT44) show
 * the clocks per packet of those nodes in the newest `show runtime` period.
 */
export class VppNodeLenses extends Disposable implements vscode.CodeLensProvider {
  private readonly onDidChangeCodeLensesEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.onDidChangeCodeLensesEmitter.event;

  constructor(
    private readonly links: ConfigLinks,
    private readonly costs: ElementCostController,
  ) {
    super();
    this.register(vscode.languages.registerCodeLensProvider(SELECTOR, this));
    this.register(costs.onDidChange(() => this.onDidChangeCodeLensesEmitter.fire()));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const s = this.links.sessionFor(doc.uri);
    const nodes = s ? this.costs.vppNodes(s) : undefined;
    if (!s || !nodes) return [];
    const rc = parseRouterConfig(doc.uri.fsPath, doc.getText());
    if (rc?.kind !== 'vpp-cli') return [];
    return rc.config.commands.flatMap((c) => {
      const hit = matchNodes(vppNodesFor(c), nodes).filter((n) => n.clocksPerPacket !== null);
      if (hit.length === 0) return [];
      hit.sort((a, b) => b.clocksPerPacket! - a.clocksPerPacket!);
      const title = hit.slice(0, 3).map((n) => `${n.name} ${Math.round(n.clocksPerPacket!)} clocks/pkt`).join(' · ');
      return [new vscode.CodeLens(toRange(c.range), { title: `$(flame) ${title}`, tooltip: `VPP show runtime, newest period: ${hit.map((n) => `${n.name}: ${n.vectors} packets, ${n.calls} calls`).join('; ')}`, command: 'vnfLens.showPanel', arguments: [s.id] })];
    });
  }
}

function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.start.line - 1, r.start.column - 1, r.end.line - 1, r.end.column - 1);
}
