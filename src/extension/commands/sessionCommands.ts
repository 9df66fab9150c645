import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LivePanels } from '../panels/livePanels.ts';
import { ReplaySource } from '../sessions/replaySource.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { readSettings } from '../settings.ts';
import { pickRecording, pickRun } from './pickRecording.ts';

/** Replay, show, pause, resume, stop, mark: the commands that act on one session. */
export function registerSessionCommands(sessions: SessionManager, panels: LivePanels): vscode.Disposable[] {
  const target = (arg?: unknown): Session | undefined => {
    const s = typeof arg === 'string' ? sessions.find(arg) : (arg as { session?: Session } | undefined)?.session ?? sessions.active;
    if (!s) void vscode.window.showInformationMessage('VNF Lens: no session. Attach to a router process or replay a recording first.');
    return s;
  };
  return [
    vscode.commands.registerCommand('vnfLens.replay', async (uri?: vscode.Uri, run?: string) => {
      const picked = uri instanceof vscode.Uri ? (run ? { path: uri.fsPath, run } : await pickRun(uri.fsPath, 'Replay Recording')) : await pickRecording('Replay Recording');
      if (!picked) return;
      const title = `${basename(picked.path)}${picked.run ? ` [${picked.run}]` : ''}`;
      const s = await sessions.start(title, new ReplaySource(picked.path, readSettings().replaySpeed, picked.run));
      panels.show(s);
      return s.id;
    }),
    vscode.commands.registerCommand('vnfLens.showPanel', (arg?: unknown) => {
      const s = target(arg);
      if (s) {
        sessions.setActive(s);
        panels.show(s);
      }
    }),
    vscode.commands.registerCommand('vnfLens.pause', (arg?: unknown) => target(arg)?.pause()),
    vscode.commands.registerCommand('vnfLens.resume', (arg?: unknown) => target(arg)?.resume()),
    vscode.commands.registerCommand('vnfLens.stop', (arg?: unknown) => target(arg)?.stop()),
    vscode.commands.registerCommand('vnfLens.mark', async (arg?: unknown) => {
      const s = target(arg);
      if (!s) return;
      const t = s.pipeline.frames.last()?.t ?? 0;
      const text = await vscode.window.showInputBox({ title: `Mark at t=${t.toFixed(1)} s`, prompt: 'What happened here (e.g. "traffic 10G 64B started")' });
      if (text) s.mark(t, text);
    }),
  ];
}
