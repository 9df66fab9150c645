import * as vscode from 'vscode';
import { packetFragment } from '../../core/ui/packetText.ts';
import { Disposable } from '../disposable.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';

/** Shows the state, loss regime and scenario of the session in view (focused panel, else the live one); a click opens its panel. */
export class StatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('vnfLens.status', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly sessions: SessionManager) {
    super();
    this.item.name = 'VNF Lens';
    this.register(sessions.onDidChange(() => this.update()));
    this.register(sessions.onDidAdd((s) => s.register(s.onStep(() => this.update()))));
  }

  private update(): void {
    const s = this.sessions.active;
    if (!s) {
      this.item.hide();
      return;
    }
    const latest = [...s.pipeline.latest.values()].pop();
    const icon = s.status === 'ended' ? '$(debug-disconnect)' : s.status === 'paused' ? '$(debug-pause)' : '$(pulse)';
    if (!latest) {
      this.item.text = `${icon} VNF Lens: ${s.status}${mppsFragment(s)}`;
    } else {
      const loss = latest.loss === 'lossy' ? ' $(warning) lossy' : latest.loss === 'clean' ? ' · clean' : '';
      const ended = s.status === 'ended' ? ' (ended)' : '';
      this.item.text = `${icon} VNF Lens: ${latest.state}${loss}${latest.scenario ? ` · ${latest.scenario}` : ''}${mppsFragment(s)}${ended}`;
    }
    this.item.backgroundColor = latest?.loss === 'lossy' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = `VNF Lens — ${s.title} (${s.status}). Click to open its panel.`;
    this.item.command = { command: 'vnfLens.showPanel', title: 'Show Session Panel', arguments: [s.id] };
    this.item.show();
  }
}

/** " · 4.85 Mpps" when the router's own counters are read. */
function mppsFragment(s: Session): string {
  const p = s.pipeline.newestPackets();
  return p ? ` · ${packetFragment(p)}` : '';
}
