import * as vscode from 'vscode';
import type { Inference } from '../../core/inference/engine.ts';
import { packetFragment } from '../../core/ui/packetText.ts';
import { Disposable } from '../disposable.ts';
import { changedConfig } from '../commands/revisionCommands.ts';
import type { Session, SessionRevision } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import type { ActiveModel, ModelStore } from '../sessions/modelStore.ts';

type Node =
  | { kind: 'session'; session: Session }
  | { kind: 'revision'; session: Session; revision: SessionRevision }
  | { kind: 'stream'; session: Session; stream: string; inference: Inference } | { kind: 'model'; model: ActiveModel | null };

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
    this.register(sessions.onDidAdd((s) => s.register(s.onRevisions(() => this.refreshSoon()))));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  getChildren(node?: Node): Node[] {
    // No rows without a session, so the view shows its welcome; then the model the sessions use comes last.
    if (!node) return this.sessions.all.length === 0 ? [] : [...this.sessions.all.map((session): Node => ({ kind: 'session', session })), { kind: 'model', model: this.models.active }];
    if (node.kind === 'session') {
      const streams = [...node.session.pipeline.latest].map(([stream, inference]): Node => ({ kind: 'stream', session: node.session, stream, inference }));
      return [...streams, ...node.session.revisions.map((revision): Node => ({ kind: 'revision', session: node.session, revision }))];
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'model') return modelItem(node.model);
    if (node.kind === 'revision') return revisionItem(node.session, node.revision);
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

/** A revision row: its process, when it ran, what identifies it; the baseline is pinned. */
function revisionItem(s: Session, r: SessionRevision): vscode.TreeItem {
  const multi = new Set(s.revisions.map((x) => x.stream)).size > 1;
  const item = new vscode.TreeItem(`revision ${r.n}${multi ? ` (${r.stream})` : ''}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${s.id}/${r.stream}/${r.n}`;
  const base = s.ab.baseline;
  const pinned = base?.stream === r.stream && base.revision === r.n;
  const current = r.end === undefined && s.isActive;
  const prev = s.revisions.find((x) => x.stream === r.stream && x.n === r.n - 1);
  const diff = prev ? changedConfig(prev, r) : undefined;
  const config = (r.configs ?? []).map((c) => (c.sha256 ? `${c.path.split('/').pop()} ${c.sha256.slice(0, 8)}` : `${c.path.split('/').pop()} unread`));
  const binary = r.binary?.buildId ? `build-id ${r.binary.buildId.slice(0, 8)}` : r.binary?.sha256 ? `sha256 ${r.binary.sha256.slice(0, 8)}` : '';
  item.description = [pinned ? 'baseline' : '', `pid ${r.pid}`, current ? 'running' : r.end ? `ended ${r.end.t.toFixed(0)} s` : '', ...config, diff ? 'config changed' : '', binary].filter((x) => x !== '').join(' · ');
  item.tooltip = new vscode.MarkdownString(
    [
      `**Revision ${r.n}** of ${r.stream}: process ${r.pid}, from ${r.t.toFixed(1)} s (${r.at})${r.end ? ` to ${r.end.t.toFixed(1)} s: ${r.end.reason}` : ''}`,
      ...(r.configs ?? []).map((c) => `config \`${c.path}\`: ${c.sha256 ? `sha256 ${c.sha256}` : (c.error ?? 'not read')}`),
      r.binary ? `binary \`${r.binary.path}\`: ${r.binary.buildId ? `build-id ${r.binary.buildId}` : r.binary.sha256 ? `sha256 ${r.binary.sha256}` : (r.binary.error ?? '')}` : '',
      r.git ? `git ${r.git.commit}${r.git.dirty ? ' (uncommitted changes)' : ''}` : '',
      pinned ? 'Pinned as the A/B baseline.' : 'Pin it as the A/B baseline to compare the current revision with it.',
    ]
      .filter(Boolean)
      .join('  \n'),
  );
  item.iconPath = new vscode.ThemeIcon(pinned ? 'pinned' : 'git-commit');
  item.contextValue = `revision.${current ? 'current' : 'other'}${pinned ? '.baseline' : ''}${diff ? '.diff' : ''}`;
  const ref = { sessionId: s.id, stream: r.stream, n: r.n };
  if (diff) item.command = { command: 'vnfLens.showRevisionDiff', title: 'Show Config Changes of This Revision', arguments: [ref] };
  return item;
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
