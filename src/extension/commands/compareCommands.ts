import * as vscode from 'vscode';
import { compareRuns } from '../../core/compare/compareRuns.ts';
import { loadCompareSide } from '../../core/compare/loadSide.ts';
import { ComparePanel } from '../panels/comparePanel.ts';
import type { ModelStore } from '../sessions/modelStore.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { pickCompareSide } from './pickCompareSide.ts';
import { pickOne, QuickFlow } from './quickInput.ts';
import { showError } from '../log.ts';

/** Compare Two Runs… (build A vs build B at the same traffic) and Export Report…. */
export function registerCompareCommands(sessions: SessionManager, models: ModelStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('vnfLens.compare', async () => {
      try {
        const flow = new QuickFlow();
        let a, b;
        try {
          flow.busy('Compare: run A (e.g. the current build)', 'loading the model…');
          const model = (await models.get())?.model ?? null;
          a = await pickCompareSide('Compare: run A (e.g. the current build)', sessions, model, flow);
          if (a) b = await pickCompareSide('Compare: run B (e.g. the new build)', sessions, model, flow);
        } finally {
          flow.dispose();
        }
        if (!a || !b) return;
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'VNF Lens: comparing…' }, async () => {
          const [sa, sb] = await Promise.all([loadCompareSide(a.path, a.run, a.range), loadCompareSide(b.path, b.run, b.range)]);
          return compareRuns(sa, sb);
        });
        new ComparePanel(result);
        return result.verdict;
      } catch (e) {
        showError(`VNF Lens: cannot compare: ${(e as Error).message}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('vnfLens.exportReport', async (format?: 'md' | 'html') => {
      const panel = ComparePanel.current;
      if (!panel) {
        void vscode.window.showInformationMessage('VNF Lens: compare two runs first (VNF Lens: Compare Two Runs…); the report of the latest comparison is exported.');
        return;
      }
      const f =
        format ??
        (
          await pickOne(
            [
              { label: 'Markdown', description: '.md — tables, for a pull request or a wiki', format: 'md' as const },
              { label: 'HTML', description: '.html — one self-contained page with the charts', format: 'html' as const },
            ],
            { title: `Export the comparison ${panel.result.a.label} vs ${panel.result.b.label} as…` },
          )
        )?.format;
      if (f === 'md' || f === 'html') return (await panel.export(f))?.fsPath;
      return undefined;
    }),
  ];
}
