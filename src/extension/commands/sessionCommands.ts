import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LivePanels } from '../panels/livePanels.ts';
import { ReplaySource } from '../sessions/replaySource.ts';
import type { Session } from '../sessions/session.ts';
import { canMark, canPause, canResume, canStop } from '../sessions/sessionContext.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { readSettings } from '../settings.ts';
import { pickRecording, pickRun } from './pickRecording.ts';
import { askText, pickOne } from './quickInput.ts';

/** What a command does, for the messages when a session cannot take it. */
interface SessionAction {
  verb: string;
  can(s: Session): boolean;
  /** Why the chosen session cannot take it. */
  why(s: Session): string;
}

const PAUSE: SessionAction = { verb: 'pause', can: canPause, why: (s) => (s.status === 'paused' ? 'it is already paused' : s.status === 'ended' ? `it has ended${s.statusReason ? ` (${s.statusReason})` : ''}; there is nothing to pause` : `it is ${s.status}`) };
const RESUME: SessionAction = { verb: 'resume', can: canResume, why: (s) => (s.status === 'ended' ? 'it has ended; replay its recording to see it again' : 'it is not paused') };
const STOP: SessionAction = { verb: 'stop', can: canStop, why: () => 'it has already ended' };
const MARK: SessionAction = {
  verb: 'mark',
  can: canMark,
  why: (s) => (s.source.kind === 'replay' ? 'marks go into a live session’s recording; this is a replay' : 'it has ended, and its recording is closed'),
};

/** Replay, show, pause, resume, stop, mark: the commands that act on one session. */
export function registerSessionCommands(sessions: SessionManager, panels: LivePanels): vscode.Disposable[] {
  /**
   * The session a command acts on: the one it was given (tree row, panel, id), else the
   * session in view if it can take the command, else the only one that can, else ask.
   */
  const target = async (arg: unknown, action: SessionAction): Promise<Session | undefined> => {
    const given = typeof arg === 'string' ? sessions.find(arg) : (arg as { session?: Session } | undefined)?.session;
    const candidates = sessions.all.filter(action.can);
    let s = given ?? sessions.active;
    if (!s) {
      void vscode.window.showInformationMessage('VNF Lens: no session. Attach to a router process or replay a recording first.');
      return undefined;
    }
    if (!given && !action.can(s) && candidates.length > 0) {
      s = candidates.length === 1 ? candidates[0] : (await pickOne(candidates.map((c) => ({ label: c.title, description: `${c.source.host} · ${c.status}`, session: c })), { title: `Which session to ${action.verb}?` }))?.session;
      if (!s) return undefined;
    }
    if (!action.can(s)) {
      void vscode.window.showInformationMessage(`VNF Lens: cannot ${action.verb} ${s.title}: ${action.why(s)}.`);
      return undefined;
    }
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
      const s = typeof arg === 'string' ? sessions.find(arg) : ((arg as { session?: Session } | undefined)?.session ?? sessions.active);
      if (s) panels.show(s);
      else void vscode.window.showInformationMessage('VNF Lens: that session is gone (closed or from before a window reload).');
    }),
    vscode.commands.registerCommand('vnfLens.pause', async (arg?: unknown) => (await target(arg, PAUSE))?.pause()),
    vscode.commands.registerCommand('vnfLens.resume', async (arg?: unknown) => (await target(arg, RESUME))?.resume()),
    vscode.commands.registerCommand('vnfLens.stop', async (arg?: unknown) => (await target(arg, STOP))?.stop()),
    vscode.commands.registerCommand('vnfLens.mark', async (arg?: unknown) => {
      const s = await target(arg, MARK);
      if (!s) return;
      const t = s.pipeline.frames.last()?.t ?? 0;
      const text = await askText({ title: `Mark ${s.title} at t=${t.toFixed(1)} s`, prompt: 'What happened here (e.g. "traffic 10G 64B started")' });
      // The session may have ended while the box was open: its recording no longer takes marks.
      if (!text) return;
      if (!canMark(s)) {
        void vscode.window.showInformationMessage(`VNF Lens: ${s.title} ended before the mark was added; it was not recorded.`);
        return;
      }
      s.mark(t, text);
    }),
  ];
}
