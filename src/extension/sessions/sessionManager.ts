import * as vscode from 'vscode';
import { Disposable } from '../disposable.ts';
import { readSettings } from '../settings.ts';
import type { ModelStore } from './modelStore.ts';
import { Session, type SessionSource } from './session.ts';

/** All sessions of this window, and which one the status bar and commands act on. */
export class SessionManager extends Disposable {
  private readonly sessions: Session[] = [];
  private activeId: string | undefined;
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<void>());
  /** A session was added, removed, or changed status; or the active one changed. */
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

  get active(): Session | undefined {
    return this.sessions.find((s) => s.id === this.activeId) ?? this.sessions[this.sessions.length - 1];
  }

  find(id: string): Session | undefined {
    return this.sessions.find((s) => s.id === id);
  }

  setActive(s: Session): void {
    this.activeId = s.id;
    this.onDidChangeEmitter.fire();
  }

  /** Creates the session and starts it; failures end the session and are shown to the user. */
  async start(title: string, source: SessionSource): Promise<Session> {
    const model = await this.models.get();
    // Ring buffer: one hour at the configured interval, at least a thousand frames.
    const capacity = Math.max(1000, Math.ceil(3_600_000 / Math.max(10, source.intervalMs || readSettings().intervalMs)));
    const s = this.register(new Session(title, source, model?.model ?? null, capacity));
    this.sessions.push(s);
    this.activeId = s.id;
    s.register(s.onStatus(() => this.onDidChangeEmitter.fire()));
    this.onDidAddEmitter.fire(s);
    this.onDidChangeEmitter.fire();
    s.start().catch((e: unknown) => {
      void vscode.window.showErrorMessage(`VNF Lens: ${title}: ${(e as Error).message}`);
    });
    return s;
  }

  remove(s: Session): void {
    const i = this.sessions.indexOf(s);
    if (i >= 0) this.sessions.splice(i, 1);
    s.dispose();
    this.onDidChangeEmitter.fire();
  }
}
