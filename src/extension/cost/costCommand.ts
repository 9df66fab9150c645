import * as vscode from 'vscode';
import type { SessionManager } from '../sessions/sessionManager.ts';
import type { ElementCostController } from './elementCostController.ts';

/** Start/Stop Element Cost Sampling: on the live session in focus. */
export function registerCostCommand(sessions: SessionManager, costs: ElementCostController): vscode.Disposable {
  return vscode.commands.registerCommand('vnfLens.toggleElementCost', async () => {
    const s = sessions.active;
    if (!s || s.source.kind !== 'live' || !s.isActive) {
      void vscode.window.showInformationMessage('VNF Lens: element cost samples a running router: attach to it first (Attach to Router Process…).');
      return;
    }
    try {
      await costs.toggle(s);
    } catch (e) {
      void vscode.window.showErrorMessage(`VNF Lens: element cost for ${s.title}: ${(e as Error).message}`);
    }
  });
}
