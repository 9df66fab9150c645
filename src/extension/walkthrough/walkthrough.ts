import * as vscode from 'vscode';
import type { Frame } from '../../protocol.ts';
import { Disposable } from '../disposable.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';

export const WALKTHROUGH_ID = 'vnf-lens.vnf-lens#vnfLens.firstMinute';
const SHOWN_KEY = 'vnfLens.walkthroughShown';
/** Completion of the walkthrough's "watch" step: a live session went idle → processing → lossy. */
const SAW_SCHEDULE_KEY = 'vnfLens.sawIdleProcessingLossy';

/**
 * The first-minute walkthrough: opened once, beside what is in front, the first time the
 * demo workspace starts; and the progress of its "watch" step, which no command completes.
 */
export class Walkthrough extends Disposable {
  constructor(context: vscode.ExtensionContext, sessions: SessionManager, isDemo: boolean) {
    super();
    if (isDemo && !context.globalState.get<boolean>(SHOWN_KEY)) {
      void context.globalState.update(SHOWN_KEY, true);
      // Beside the README, keeping the focus where the user has it. Only once the README is
      // open: VS Code opens its startup editor only into an empty editor area.
      const open = () => void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, { toSide: true });
      const hasTab = () => vscode.window.tabGroups.all.some((g) => g.tabs.length > 0);
      if (hasTab()) open();
      else {
        const timer = setTimeout(() => {
          wait.dispose();
          open();
        }, 15_000);
        const wait = this.register(
          vscode.window.tabGroups.onDidChangeTabs(() => {
            if (!hasTab()) return;
            clearTimeout(timer);
            wait.dispose();
            open();
          }),
        );
        this.register({ dispose: () => clearTimeout(timer) });
      }
    }
    this.register(
      sessions.onDidAdd((s) => {
        if (s.source.kind !== 'live') return;
        const seen = new ScheduleSeen();
        const sub = s.register(
          s.onFrames((frames) => {
            if (!seen.add(frames)) return;
            void vscode.commands.executeCommand('setContext', SAW_SCHEDULE_KEY, true);
            sub.dispose();
          }),
        );
      }),
    );
  }
}

/** Idle, then processing, then lossy (by the model, or more than 1 % of the offered packets dropped), in that order. */
export class ScheduleSeen {
  private step = 0;

  add(frames: readonly Frame[]): boolean {
    for (const f of frames) {
      const lossy = f.inference.loss === 'lossy' || (f.packets?.dropRatio ?? 0) > 0.01;
      if (this.step === 0 && f.inference.state === 'idle') this.step = 1;
      else if (this.step === 1 && f.inference.state === 'processing') this.step = 2;
      else if (this.step === 2 && lossy) this.step = 3;
    }
    return this.step === 3;
  }
}
