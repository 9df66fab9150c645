import * as vscode from 'vscode';
import type { Model } from '../../core/model/model.ts';
import { modelView } from '../../core/ui/modelView.ts';
import type { FromWebview, PersistedPanelState, ToWebview } from '../../protocol.ts';
import { Disposable } from '../disposable.ts';
import { log } from '../log.ts';
import type { Session } from '../sessions/session.ts';
import { readSettings } from '../settings.ts';
import { renderPanel, webviewOptions } from './webviewAssets.ts';

export const LIVE_PANEL_TYPE = 'vnfLens.live';

/**
 * The live panel of one session. Frames go only to a visible panel; when it becomes
 * visible again it is re-hydrated from the session's ring buffer.
 */
export class LivePanel extends Disposable {
  private readonly onDisposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDispose = this.onDisposeEmitter.event;
  private ready = false;
  private sentInit = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly session: Session,
    private readonly extensionUri: vscode.Uri,
    private readonly getModel: () => Model | null,
  ) {
    super();
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = renderPanel(panel.webview, extensionUri, 'live', session.title);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity.svg');
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)));
    this.register(
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.sendInit();
      }),
    );
    this.register(
      session.onFrames((frames) => {
        if (this.ready && this.sentInit && panel.visible) this.post({ type: 'frames', frames });
      }),
    );
    this.register(session.onStatus((s) => this.post({ type: 'status', status: s.status, ...(s.statusReason ? { reason: s.statusReason } : {}) })));
    this.register(session.onRevisions(() => this.post({ type: 'pids', pids: session.info.pids })));
    this.register(session.onNotice((n) => this.post({ type: 'notice', level: n.level, text: n.text })));
    this.register(session.onPerf((perf) => this.post({ type: 'perf', perf })));
    // Like frames, the A/B goes only to a visible panel; one shown again gets the newest with its init.
    this.register(session.onAb((ab) => this.ready && this.sentInit && panel.visible && this.post({ type: 'ab', ab })));
    this.register(session.onCost((cost) => this.post({ type: 'cost', cost })));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vnfLens.panelWindowSeconds')) this.post({ type: 'settings', settings: { windowSeconds: readSettings().panelWindowSeconds } });
      }),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Model changed: the panel redraws from scratch with the new PCA space and scenarios. */
  refresh(): void {
    if (this.panel.visible) this.sendInit();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.onDisposeEmitter.fire();
    super.dispose();
    this.panel.dispose();
  }

  private onMessage(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        break;
      case 'pause':
        break; // the view pauses itself; the session goes on recording
      case 'mark':
        this.session.mark(m.t, m.text);
        break;
      case 'error':
        log().error(`panel ${this.session.title}: ${m.message}`);
        break;
      case 'cspViolation':
        log().error(`panel ${this.session.title}: content security policy blocked ${m.blockedURI} (${m.directive})`);
        break;
    }
  }

  private sendInit(): void {
    if (!this.ready) return;
    const model = this.getModel();
    this.sentInit = true;
    this.post({
      type: 'init',
      session: this.session.info,
      model: model ? modelView(model) : null,
      settings: { windowSeconds: readSettings().panelWindowSeconds },
      frames: this.session.pipeline.frames.toArray(),
    });
    for (const n of this.session.notices.slice(-5)) this.post({ type: 'notice', level: n.level, text: n.text });
    this.post({ type: 'ab', ab: this.session.abView });
    if (this.session.cost) this.post({ type: 'cost', cost: this.session.cost });
  }

  private post(m: ToWebview): void {
    if (this.isDisposed) return;
    void this.panel.webview.postMessage(m);
  }
}

/** What a panel keeps across a window reload, beyond the webview's own view state. */
export interface RestorablePanelState extends PersistedPanelState {
  recordingPath?: string;
  title?: string;
}
