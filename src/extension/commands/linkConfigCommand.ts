import * as vscode from 'vscode';
import type { ConfigLinks } from '../config/configLinks.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { pickOne } from './quickInput.ts';

/** Link Config to Session…: the active editor's config (or a picked file) follows a chosen session. */
export function registerLinkConfigCommand(sessions: SessionManager, links: ConfigLinks): vscode.Disposable {
  return vscode.commands.registerCommand('vnfLens.linkConfig', async (arg?: unknown) => {
    const session = await pickSession(sessions, arg);
    if (!session) return;
    let uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file') {
      const picked = await vscode.window.showOpenDialog({ title: 'Router config to annotate', filters: { 'Router configs': ['click', 'conf', 'cli', 'vpp', 'gate'], 'All files': ['*'] } });
      uri = picked?.[0];
    }
    if (!uri) return;
    links.link(uri, session);
    void vscode.window.showInformationMessage(`VNF Lens: ${vscode.workspace.asRelativePath(uri)} now shows the inference of ${session.title}.`);
  });
}

export async function pickSession(sessions: SessionManager, arg?: unknown): Promise<Session | undefined> {
  if (typeof arg === 'string') return sessions.find(arg);
  const fromTree = (arg as { session?: Session } | undefined)?.session;
  if (fromTree) return fromTree;
  if (sessions.all.length === 0) {
    void vscode.window.showInformationMessage('VNF Lens: no session. Attach to a router process or replay a recording first.');
    return undefined;
  }
  if (sessions.all.length === 1) return sessions.all[0];
  const pick = await pickOne(
    sessions.all.map((s) => ({ label: s.title, description: `${s.source.host} · ${s.status}`, session: s })),
    { title: 'Which session?' },
  );
  return pick?.session;
}
