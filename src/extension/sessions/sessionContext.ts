import * as vscode from 'vscode';
import { Disposable } from '../disposable.ts';
import type { Session } from './session.ts';
import type { SessionManager } from './sessionManager.ts';

/** What a session command can do to a session in its current status. */
export const canPause = (s: Session): boolean => s.status === 'running' || s.status === 'replaying';
export const canResume = (s: Session): boolean => s.status === 'paused';
export const canStop = (s: Session): boolean => s.isActive;
/** Marks go into the recording being written, so only a live session that still runs takes them. */
export const canMark = (s: Session): boolean => s.source.kind === 'live' && s.isActive;

/**
 * Context keys for `when` clauses: session commands show in the palette only when some
 * session can take them (`vnfLens.canPause`, …).
 */
export class SessionContext extends Disposable {
  private readonly last = new Map<string, boolean>();

  constructor(private readonly sessions: SessionManager) {
    super();
    this.register(sessions.onDidChange(() => this.update()));
    this.register(sessions.onDidAdd((s) => s.register(s.onRevisions(() => this.update()))));
    this.update();
  }

  private update(): void {
    const all = this.sessions.all;
    this.set('vnfLens.hasSession', all.length > 0);
    this.set('vnfLens.canPause', all.some(canPause));
    this.set('vnfLens.canResume', all.some(canResume));
    this.set('vnfLens.canStop', all.some(canStop));
    this.set('vnfLens.canMark', all.some(canMark));
    this.set('vnfLens.hasLiveSession', all.some((s) => s.source.kind === 'live' && s.isActive));
    this.set('vnfLens.hasRevisions', all.some((s) => s.revisions.length > 0));
  }

  private set(key: string, value: boolean): void {
    if (this.last.get(key) === value) return;
    this.last.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }
}

/** Sets `vnfLens.hasComparison` (Export Report… needs a comparison to export). */
export function setHasComparison(value: boolean): void {
  void vscode.commands.executeCommand('setContext', 'vnfLens.hasComparison', value);
}
