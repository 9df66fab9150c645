import * as vscode from 'vscode';
import { Disposable } from '../disposable.ts';
import { log } from '../log.ts';
import type { ModelStore } from '../sessions/modelStore.ts';
import { ReplaySource } from '../sessions/replaySource.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { LIVE_PANEL_TYPE, LivePanel, type RestorablePanelState } from './livePanel.ts';

/** One live panel per session; panels come back after a window reload. */
export class LivePanels extends Disposable {
  private readonly panels = new Map<string, LivePanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sessions: SessionManager,
    private readonly models: ModelStore,
  ) {
    super();
    this.register(vscode.window.registerWebviewPanelSerializer(LIVE_PANEL_TYPE, { deserializeWebviewPanel: (panel, state) => this.restore(panel, state as RestorablePanelState | undefined) }));
    this.register(
      models.onDidChange(() => {
        for (const p of this.panels.values()) p.refresh();
      }),
    );
  }

  show(session: Session): void {
    const existing = this.panels.get(session.id);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(LIVE_PANEL_TYPE, `VNF Lens: ${session.title}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] });
    this.attach(panel, session);
  }

  private attach(panel: vscode.WebviewPanel, session: Session): void {
    const p = new LivePanel(panel, session, this.extensionUri, () => this.models.active?.model ?? null);
    this.panels.set(session.id, p);
    // The status bar and the session commands follow the panel in focus.
    p.register(panel.onDidChangeViewState((e) => (e.webviewPanel.active ? this.sessions.setFocused(session) : this.sessions.blur(session))));
    if (panel.active) this.sessions.setFocused(session);
    p.register(
      p.onDispose(() => {
        this.panels.delete(session.id);
        this.sessions.blur(session);
      }),
    );
    this.register(p);
  }

  /**
   * Sessions do not outlive the window, but their recordings do: a restored panel
   * replays its session's recording (as fast as possible) to show the same history.
   */
  private async restore(panel: vscode.WebviewPanel, state: RestorablePanelState | undefined): Promise<void> {
    const live = state?.sessionId ? this.sessions.find(state.sessionId) : undefined;
    if (live) {
      this.attach(panel, live);
      return;
    }
    if (!state?.recordingPath) {
      log().info('a VNF Lens panel from before the reload had no recording to restore from; closing it');
      panel.dispose();
      return;
    }
    const session = await this.sessions.start(state.title ?? state.recordingPath, new ReplaySource(state.recordingPath, 0));
    this.attach(panel, session);
  }
}
