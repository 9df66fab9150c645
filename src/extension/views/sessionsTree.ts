import * as vscode from 'vscode';
import type { Inference } from '../../core/inference/engine.ts';
import { packetFragment } from '../../core/ui/packetText.ts';
import { Disposable } from '../disposable.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import type { ActiveModel, ModelStore } from '../sessions/modelStore.ts';

type Node = { kind: 'session'; session: Session } | { kind: 'stream'; session: Session; stream: string; inference: Inference } | { kind: 'model'; model: ActiveModel | null };

/** The Sessions view: live and replayed sessions, their status, and one row per stream with its state. */
export class SessionsTree extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly onDidChangeTreeDataEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.onDidChangeTreeDataEmitter.event;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: SessionManager,
    private readonly models: ModelStore,
  ) {
    super();
    this.register(models.onDidChange(() => this.refreshSoon()));
    this.register(sessions.onDidChange(() => this.refreshSoon()));
    this.register(sessions.onDidAdd((s) => s.register(s.onStep(() => this.refreshSoon()))));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  getChildren(node?: Node): Node[] {
    // No rows without a session, so the view shows its welcome; then the model the sessions use comes last.
    if (!node) return this.sessions.all.length === 0 ? [] : [...this.sessions.all.map((session): Node => ({ kind: 'session', session })), { kind: 'model', model: this.models.active }];
    if (node.kind === 'session') {
      return [...node.session.pipeline.latest].map(([stream, inference]) => ({ kind: 'stream', session: node.session, stream, inference }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'model') return modelItem(node.model);
    if (node.kind === 'session') {
      const s = node.session;
      const item = new vscode.TreeItem(s.title, vscode.TreeItemCollapsibleState.Expanded);
      item.id = s.id;
      const packets = s.pipeline.newestPackets();
      item.description = `${s.status}${packets && s.pipeline.latest.size === 0 ? ` · ${packetFragment(packets)}` : ''}${s.statusReason ? ` — ${s.statusReason}` : ''}`;
      item.tooltip = new vscode.MarkdownString(
        [`**${s.title}**`, `host: ${s.source.host}`, s.source.pids.length ? `PIDs: ${s.source.pids.join(', ')}` : '', s.source.recordingPath ? `recording: \`${s.source.recordingPath}\`` : '', `${s.pipeline.intervals} intervals`]
          .filter(Boolean)
          .join('  \n'),
      );
      const phase = s.status === 'paused' ? 'paused' : s.status === 'ended' ? 'ended' : s.status === 'replaying' ? 'replaying' : 'running';
      item.contextValue = `session.${s.source.kind}.${phase}`;
      item.iconPath = new vscode.ThemeIcon(s.source.kind === 'live' ? (s.isActive ? 'pulse' : 'debug-disconnect') : 'history');
      item.command = { command: 'vnfLens.showPanel', title: 'Show Session Panel', arguments: [s.id] };
      return item;
    }
    const inf = node.inference;
    const item = new vscode.TreeItem(node.stream === '' ? 'router' : node.stream, vscode.TreeItemCollapsibleState.None);
    const packets = node.session.pipeline.latestPackets.get(node.stream);
    item.description = `${inf.state} · ${inf.loss}${inf.scenario ? ` · ${inf.scenario}` : ''}${packets ? ` · ${packetFragment(packets)}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(inf.loss === 'lossy' ? 'warning' : inf.state === 'processing' ? 'play-circle' : 'circle-large-outline');
    item.contextValue = 'stream';
    return item;
  }

  /** Many intervals a second would redraw the tree too often: coalesce. */
  private refreshSoon(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.onDidChangeTreeDataEmitter.fire();
    }, 500);
  }
}

function modelItem(m: ActiveModel | null): vscode.TreeItem {
  const item = new vscode.TreeItem(m ? (m.isDefault ? 'Default model' : `Model ${m.model.name}`) : 'No model', vscode.TreeItemCollapsibleState.None);
  item.id = 'model';
  item.iconPath = new vscode.ThemeIcon('library');
  if (m) {
    item.description = m.isDefault ? 'ITC 2021 reference data' : `${vscode.workspace.asRelativePath(m.path)}${m.borrowed.length > 0 ? ` + default ${m.borrowed.join(', ')}` : ''}`;
    item.tooltip = m.lacks.length > 0 ? `Lacks:\n• ${m.lacks.join('\n• ')}` : 'The model inference uses. Click to choose another.';
  } else item.description = 'inference is off';
  item.contextValue = 'model';
  item.command = { command: 'vnfLens.useModel', title: 'Use Model…' };
  return item;
}
