import { join } from 'node:path';
import * as vscode from 'vscode';
import { routerModelName, TeachCollector, teachModel } from '../../core/calibration/teach.ts';
import { loadDefaultModel } from '../../core/model/load.ts';
import type { Model } from '../../core/model/model.ts';
import { RouterModels } from '../../core/model/routerModels.ts';
import { Disposable } from '../disposable.ts';
import { pickSession } from '../commands/linkConfigCommand.ts';
import type { ModelStore } from './modelStore.ts';
import type { Session } from './session.ts';
import type { SessionManager } from './sessionManager.ts';
import { showError } from '../log.ts';

const TEACH = 'Teach VNF Lens This Router';

interface Watched {
  collector: TeachCollector;
  /** The model taught for this session's router, once applied. */
  taught?: Model;
  looked: boolean;
}

/**
 * Learns each router from its own packet counters: collects a live session's
 * counter-labelled intervals, offers "Teach VNF Lens This Router" once they
 * show both idle and processing, and keeps one model per router and host in the
 * extension's storage, used automatically when a session on that router starts.
 */
export class RouterTeacher extends Disposable {
  private readonly store: RouterModels;
  private readonly watched = new Map<string, Watched>();

  constructor(
    storage: vscode.Uri,
    private readonly sessions: SessionManager,
    private readonly models: ModelStore,
  ) {
    super();
    this.store = new RouterModels(join(storage.fsPath, 'routers'));
    this.register(sessions.onDidAdd((s) => this.watch(s)));
    // A change of the folder's model resets every session; a router with its own model keeps it.
    this.register(
      models.onDidChange(() => {
        for (const s of sessions.all) {
          const w = this.watched.get(s.id);
          if (w?.taught) s.setModel(w.taught);
        }
      }),
    );
    this.register(vscode.commands.registerCommand('vnfLens.teachRouter', (arg?: unknown) => this.teachCommand(arg)));
  }

  private watch(s: Session): void {
    if (s.source.kind !== 'live') return;
    const w: Watched = { collector: new TeachCollector(), looked: false };
    this.watched.set(s.id, w);
    s.register({ dispose: () => this.watched.delete(s.id) });
    s.register(
      s.onStep((step) => {
        if (!w.looked && s.processes.length > 0) {
          w.looked = true;
          void this.useTaught(s, w);
        }
        if (w.collector.push(step.interval)) void this.offer(s);
      }),
    );
  }

  private keyOf(s: Session): string | undefined {
    const cmdline = s.processes[0]?.cmdline;
    return s.source.kind === 'live' && cmdline ? routerModelName(s.source.host, cmdline) : undefined;
  }

  private async useTaught(s: Session, w: Watched): Promise<void> {
    const key = this.keyOf(s);
    if (!key) return;
    try {
      const model = await this.store.find(key);
      if (!model) return;
      w.taught = model;
      s.setModel(model);
      s.notice('info', `Using the model taught for this router (${key.replace('__', ': ')}), built from ${model.provenance.counts.intervals} intervals of its own counters.`);
    } catch (e) {
      s.notice('warning', `The model taught for this router cannot be used: ${(e as Error).message}. Teach it again (VNF Lens: ${TEACH}).`);
    }
  }

  private async offer(s: Session): Promise<void> {
    const c = this.watched.get(s.id)?.collector;
    if (!c) return;
    const answer = await vscode.window.showInformationMessage(
      `VNF Lens: ${s.title}: the router's own counters have shown it idle (${c.counts.idle} intervals) and processing (${c.counts.processing}). Teach VNF Lens this router, so that its CPU answers need no counters?`,
      TEACH,
    );
    if (answer === TEACH) await this.teach(s);
  }

  private async teachCommand(arg?: unknown): Promise<void> {
    const s = await pickSession(this.sessions, arg);
    if (!s) return;
    const c = this.watched.get(s.id)?.collector;
    if (!c || !c.ready) {
      const seen = c ? ` (so far ${c.counts.idle} idle and ${c.counts.processing} processing intervals with counters)` : '';
      void vscode.window.showWarningMessage(
        `VNF Lens: ${s.title} cannot teach its router yet: that needs a live session whose router counters have shown it both idle and processing${seen}. For a recording, label time ranges (VNF Lens: Label Time Range…) and calibrate.`,
      );
      return;
    }
    await this.teach(s);
  }

  private async teach(s: Session): Promise<void> {
    const w = this.watched.get(s.id);
    const key = this.keyOf(s);
    if (!w || !key) {
      void vscode.window.showWarningMessage(`VNF Lens: ${s.title}: the router process is not known, so its model has no name to be kept under.`);
      return;
    }
    try {
      const file = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `VNF Lens: learning ${key.replace('__', ': ')}` }, async (progress) => {
        const fallback = (await this.models.get())?.model ?? (await loadDefaultModel());
        const samples = w.collector.samples(key);
        progress.report({ message: `${samples.length} intervals labelled by the router's counters` });
        const model = teachModel(samples, fallback, {
          name: key,
          notes: [`Taught from a live session (${s.title}) by the router's own packet counters: idle when it received no packet, lossy above 1 % dropped.`],
          onProgress: (p) => progress.report({ message: `fitting: ${p.detail}`, increment: 100 / (p.total + 1) }),
        });
        w.taught = model;
        s.setModel(model);
        return this.store.save(key, model);
      });
      void vscode.window.showInformationMessage(`VNF Lens: learnt ${key.replace('__', ': ')} from ${w.collector.counts.idle + w.collector.counts.processing} intervals of its own counters. This session and the next ones on this router use it (${file}).`);
    } catch (e) {
      showError(`VNF Lens: teaching ${s.title}'s router failed: ${(e as Error).message}`);
    }
  }
}
