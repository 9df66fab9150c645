import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { calibrate } from '../../core/calibration/calibrate.ts';
import { MANIFEST_HEADER } from '../../core/calibration/manifest.ts';
import type { ModelStore } from '../sessions/modelStore.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { pickSession } from './linkConfigCommand.ts';

/** Labels go to a manifest in the workspace, the same CSV `vnf-lens calibrate` reads. */
function defaultManifest(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder ? join(folder, '.vnf-lens', 'calibration.csv') : undefined;
}

export function registerCalibrationCommands(sessions: SessionManager, models: ModelStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('vnfLens.labelRange', async (arg?: unknown) => {
      const session = await pickSession(sessions, arg);
      if (!session) return;
      const file = session.source.recordingPath;
      if (!file) {
        void vscode.window.showWarningMessage(`VNF Lens: ${session.title} has no recording to label.`);
        return;
      }
      const last = session.pipeline.frames.last()?.t ?? 0;
      const range = await vscode.window.showInputBox({
        title: `Label a time range of ${session.title}`,
        prompt: 'FROM:TO in seconds, as interval end times (inclusive); empty side = open',
        value: `${Math.max(0, last - 10).toFixed(1)}:${last.toFixed(1)}`,
        validateInput: (v) => (/^\s*(\d+(\.\d+)?)?\s*:\s*(\d+(\.\d+)?)?\s*$/.test(v) ? undefined : 'Write FROM:TO, e.g. 21:25'),
      });
      if (range === undefined) return;
      const [from, to] = range.split(':').map((x) => x.trim());
      const state = await pick('State of the router in this range', ['processing', 'idle', '(no state label)']);
      if (state === undefined) return;
      const loss = await pick('Loss regime in this range', ['clean', 'lossy', '(no loss label)']);
      if (loss === undefined) return;
      const scenario = await vscode.window.showInputBox({ title: 'Traffic scenario (optional)', prompt: 'e.g. 5000-64 (rate Mbit/s - packet size); empty for none' });
      if (scenario === undefined) return;
      const manifest = defaultManifest();
      if (!manifest) {
        void vscode.window.showWarningMessage('VNF Lens: open a folder first; labels are kept in .vnf-lens/calibration.csv inside it.');
        return;
      }
      await mkdir(dirname(manifest), { recursive: true });
      if (!existsSync(manifest)) await writeFile(manifest, MANIFEST_HEADER.join(',') + '\n');
      const runSuffix = session.title.match(/\[([^\]]+)\]$/)?.[1];
      const row = [csv(relative(dirname(manifest), file) + (runSuffix ? `#${runSuffix}` : '')), from ?? '', to ?? '', state.startsWith('(') ? '' : state, loss.startsWith('(') ? '' : loss, csv(scenario.trim())];
      await appendFile(manifest, row.join(',') + '\n');
      void vscode.window.showInformationMessage(`VNF Lens: labelled ${range} of ${session.title} (${vscode.workspace.asRelativePath(manifest)}).`, 'Calibrate Now').then((a) => {
        if (a) void vscode.commands.executeCommand('vnfLens.calibrate', manifest);
      });
    }),

    vscode.commands.registerCommand('vnfLens.calibrate', async (manifestArg?: string) => {
      let manifest = typeof manifestArg === 'string' ? manifestArg : defaultManifest();
      if (!manifest || !existsSync(manifest)) {
        const picked = await vscode.window.showOpenDialog({ title: 'Calibration manifest (CSV: file,from,to,state,loss,scenario)', filters: { 'CSV manifest': ['csv'] } });
        manifest = picked?.[0]?.fsPath;
      }
      if (!manifest) return;
      const out = join(dirname(manifest), 'models', `${basename(manifest).replace(/\.csv$/i, '')}.model.json`);
      try {
        const model = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'VNF Lens: calibrating', cancellable: false },
          async (progress) => {
            let lastPct = 0;
            return calibrate(manifest, {
              onProgress: (p) => {
                const pct = p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
                progress.report({ message: `${p.phase === 'read' ? 'reading' : 'fitting'} ${p.detail}`, increment: Math.max(0, pct - lastPct) / 2 });
                lastPct = pct;
              },
            });
          },
        );
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, JSON.stringify(model, null, 1) + '\n');
        await vscode.workspace.getConfiguration('vnfLens').update('modelPath', out, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
        await models.reload();
        void vscode.window.showInformationMessage(`VNF Lens: model "${model.name}" built from ${model.provenance.counts.intervals} intervals and now active (${vscode.workspace.asRelativePath(out)}).`);
      } catch (e) {
        void vscode.window.showErrorMessage(`VNF Lens: calibration failed: ${(e as Error).message}`);
      }
    }),

    vscode.commands.registerCommand('vnfLens.useModel', async () => {
      const choice = await vscode.window.showQuickPick(
        [
          { label: 'Default model', description: 'built from the ITC 2021 reference data', id: 'default' },
          { label: 'Choose a model file…', id: 'file' },
        ],
        { title: `Active model: ${models.active?.model.name ?? 'none'}${models.active ? ` (${models.active.isDefault ? 'default' : models.active.path})` : ''}` },
      );
      if (!choice) return;
      let path = '';
      if (choice.id === 'file') {
        const picked = await vscode.window.showOpenDialog({ title: 'VNF Lens model', filters: { 'Model JSON': ['json'] } });
        if (!picked?.[0]) return;
        path = picked[0].fsPath;
      }
      await vscode.workspace.getConfiguration('vnfLens').update('modelPath', path, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
      const m = await models.reload();
      if (m) void vscode.window.showInformationMessage(`VNF Lens: using model "${m.model.name}" (${m.isDefault ? 'default' : m.path}).`);
    }),
  ];
}

async function pick(title: string, items: string[]): Promise<string | undefined> {
  return vscode.window.showQuickPick(items, { title });
}

function csv(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
