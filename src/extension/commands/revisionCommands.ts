import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { renderRevisionHtml, renderRevisionMarkdown } from '../../core/compare/render/revisionReport.ts';
import type { Session, SessionRevision } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { pickOne } from './quickInput.ts';

/** What a revision row of the Sessions view hands to its commands. */
export interface RevisionRef {
  sessionId: string;
  stream: string;
  n: number;
}

const SCHEME = 'vnflens-revision';

/** Context-menu commands get the view's node ({ kind: 'revision', session, revision }); others a RevisionRef. */
type RevisionArg = RevisionRef | { kind: 'revision'; session: Session; revision: SessionRevision };

function asRef(a: RevisionArg | undefined): RevisionRef | undefined {
  if (!a) return undefined;
  if ('kind' in a) return { sessionId: a.session.id, stream: a.revision.stream, n: a.revision.n };
  return a;
}

/**
 * Pin as A/B baseline, the config diff between a revision and the one before it (from the
 * texts read on the router's host when each started, shown with vscode.diff), and the
 * export of the live A/B as a one-page report.
 */
export function registerRevisionCommands(sessions: SessionManager): vscode.Disposable[] {
  const texts = new RevisionTexts(sessions);
  return [
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, texts),
    vscode.commands.registerCommand('vnfLens.pinBaseline', async (arg?: RevisionArg) => {
      const picked = asRef(arg) ?? (await pickRevision(sessions, 'Pin which revision as the A/B baseline?'));
      if (!picked) return undefined;
      const s = sessions.find(picked.sessionId);
      if (!s) return undefined;
      s.pinBaseline(picked.stream, picked.n);
      return `${picked.stream}#${picked.n}`;
    }),
    vscode.commands.registerCommand('vnfLens.showRevisionDiff', async (arg?: RevisionArg) => {
      const ref = asRef(arg);
      if (!ref) return;
      const s = sessions.find(ref.sessionId);
      const rev = s?.revisions.find((r) => r.stream === ref.stream && r.n === ref.n);
      const prev = s?.revisions.find((r) => r.stream === ref.stream && r.n === ref.n - 1);
      const path = rev && prev ? changedConfig(prev, rev) : undefined;
      if (!s || !rev || !prev || path === undefined) {
        void vscode.window.showInformationMessage('VNF Lens: no config change to show: the config files of this revision and the one before read the same (or could not be read).');
        return;
      }
      const uri = (r: SessionRevision) => vscode.Uri.from({ scheme: SCHEME, path: `/${s.id}/${encodeURIComponent(r.stream)}/${r.n}/${encodeURIComponent(path)}` });
      const name = path.split('/').pop();
      await vscode.commands.executeCommand('vscode.diff', uri(prev), uri(rev), `${name}: revision ${prev.n} ↔ ${rev.n}`);
    }),
    vscode.commands.registerCommand('vnfLens.exportRevisionAb', async (arg?: RevisionArg, format?: 'md' | 'html', target?: vscode.Uri) => {
      const ref = asRef(arg);
      const s = ref ? sessions.find(ref.sessionId) : sessions.all.find((x) => x.ab.result);
      const ab = s?.ab.result;
      if (!s || !ab) {
        void vscode.window.showInformationMessage('VNF Lens: no A/B to export yet: it needs a pinned baseline and five steady intervals with traffic in each revision.');
        return undefined;
      }
      const f = format ?? (await pickOne([{ label: 'Markdown', f: 'md' as const }, { label: 'HTML', f: 'html' as const }], { title: 'Export the revision A/B as…' }))?.f;
      if (!f) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = target ?? (await vscode.window.showSaveDialog({ title: 'Export revision A/B report', ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `revision-${ab.current}-vs-${ab.baseline}.${f}`) } : {}), filters: f === 'md' ? { Markdown: ['md'] } : { HTML: ['html'] } }));
      if (!uri) return undefined;
      await writeFile(uri.fsPath, f === 'md' ? renderRevisionMarkdown(ab, s.title) : renderRevisionHtml(ab, s.title));
      void vscode.window.showInformationMessage(`VNF Lens: A/B report written to ${vscode.workspace.asRelativePath(uri)}.`);
      return uri.fsPath;
    }),
  ];
}

/** The first config file whose content changed from `prev` to `rev`, when both were read. */
export function changedConfig(prev: SessionRevision, rev: SessionRevision): string | undefined {
  for (const c of rev.configs ?? []) {
    const before = prev.configs?.find((p) => p.path === c.path);
    if (c.sha256 && before?.sha256 && c.sha256 !== before.sha256 && rev.configTexts[c.path] !== undefined && prev.configTexts[c.path] !== undefined) return c.path;
  }
  return undefined;
}

/** Read-only documents holding a config file as it was when a revision started. */
class RevisionTexts implements vscode.TextDocumentContentProvider {
  constructor(private readonly sessions: SessionManager) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, id, stream, n, path] = uri.path.split('/');
    const s = this.sessions.find(id ?? '');
    const rev = s?.revisions.find((r) => r.stream === decodeURIComponent(stream ?? '') && r.n === Number(n));
    return rev?.configTexts[decodeURIComponent(path ?? '')] ?? '';
  }
}

async function pickRevision(sessions: SessionManager, title: string): Promise<RevisionRef | undefined> {
  const items = sessions.all.flatMap((s: Session) =>
    s.revisions.map((r) => ({ label: `revision ${r.n}`, description: `${s.title} · ${r.stream} · process ${r.pid}`, ref: { sessionId: s.id, stream: r.stream, n: r.n } })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('VNF Lens: no revisions yet: a live session that follows its router opens one per restart (setting vnfLens.restartTimeoutSeconds).');
    return undefined;
  }
  return (await pickOne(items, { title }))?.ref;
}
