import * as vscode from 'vscode';
import { Disposable } from '../disposable.ts';
import { readSettings } from '../settings.ts';
import type { ModelStore } from './modelStore.ts';
import { Session, type SessionSource } from './session.ts';
import { showError } from '../log.ts';

/** All sessions of this window, and which one the status bar and commands act on. */
export class SessionManager extends Disposable {
  private readonly sessions: Session[] = [];
  private focusedId: string | undefined;
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<void>());
  /** A session was added, removed, or changed status; or the focused one changed. */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly onDidAddEmitter = this.register(new vscode.EventEmitter<Session>());
  readonly onDidAdd = this.onDidAddEmitter.event;

  constructor(private readonly models: ModelStore) {
    super();
    this.register(
      models.onDidChange((m) => {
        for (const s of this.sessions) s.setModel(m?.model ?? null);
      }),
    );
  }

  get all(): readonly Session[] {
    return this.sessions;
  }

  /**
   * The session the user is looking at: the one whose panel has focus, else the newest
   * live session still running, else the newest session still going, else the newest.
   * An ended replay never hides a live session.
   */
  get active(): Session | undefined {
    const focused = this.focusedId !== undefined ? this.find(this.focusedId) : undefined;
    if (focused) return focused;
    const newestFirst = [...this.sessions].reverse();
    return newestFirst.find((s) => s.source.kind === 'live' && s.isActive) ?? newestFirst.find((s) => s.isActive) ?? newestFirst[0];
  }

  find(id: string): Session | undefined {
    return this.sessions.find((s) => s.id === id);
  }

  /** A live session on the same host already watching one of these PIDs, if any. */
  findLive(host: string, pids: readonly number[]): Session | undefined {
    return this.sessions.find((s) => s.source.kind === 'live' && s.isActive && s.source.host === host && s.source.pids.some((p) => pids.includes(p)));
  }

  /** A session's panel got focus (or `undefined`: the focused panel lost it). */
  setFocused(s: Session | undefined): void {
    if (this.focusedId === s?.id) return;
    this.focusedId = s?.id;
    this.onDidChangeEmitter.fire();
  }

  /** Forgets the focus only if `s` still holds it (focus may already have moved to another panel). */
  blur(s: Session): void {
    if (this.focusedId === s.id) this.setFocused(undefined);
  }

  /** Creates the session and starts it; failures end the session and are shown to the user. */
  async start(title: string, source: SessionSource): Promise<Session> {
    const model = await this.models.get();
    // Ring buffer: one hour at the configured interval, at least a thousand frames.
    const capacity = Math.max(1000, Math.ceil(3_600_000 / Math.max(10, source.intervalMs || readSettings().intervalMs)));
    const s = this.register(new Session(title, source, model?.model ?? null, capacity));
    this.sessions.push(s);
    s.register(s.onStatus(() => this.onDidChangeEmitter.fire()));
    this.onDidAddEmitter.fire(s);
    this.onDidChangeEmitter.fire();
    s.start().catch((e: unknown) => {
      showError(`VNF Lens: ${title}: ${(e as Error).message}`);
    });
    return s;
  }

  remove(s: Session): void {
    const i = this.sessions.indexOf(s);
    if (i >= 0) this.sessions.splice(i, 1);
    if (this.focusedId === s.id) this.focusedId = undefined;
    s.dispose();
    this.onDidChangeEmitter.fire();
  }
}
