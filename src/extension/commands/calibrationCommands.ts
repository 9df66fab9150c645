import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { calibrate } from '../../core/calibration/calibrate.ts';
import { csvField, MANIFEST_HEADER, readManifest } from '../../core/calibration/manifest.ts';
import { overlappingRows } from '../../core/calibration/manifestOverlap.ts';
import { modelGaps } from '../../core/model/modelGaps.ts';
import { describeActiveModel, type ModelStore } from '../sessions/modelStore.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { storePathSetting } from '../settings.ts';
import { requireTrust } from '../trust.ts';
import { pickSession } from './linkConfigCommand.ts';
import { askText, pickOne, pickText } from './quickInput.ts';
import { showError } from '../log.ts';

/** Labels go to a manifest in the workspace, the same CSV `vnf-lens calibrate` reads. */
function defaultManifest(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder ? join(folder, '.vnf-lens', 'calibration.csv') : undefined;
}

/** Models go beside the workspace's manifest, so the setting can name them relative to the folder. */
function modelFileFor(manifest: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const name = `${basename(manifest).replace(/\.csv$/i, '')}.model.json`;
  const inside = folder !== undefined && !relative(folder, manifest).startsWith('..');
  return inside || !folder ? join(dirname(manifest), 'models', name) : join(folder, '.vnf-lens', 'models', name);
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
      const manifest = defaultManifest();
      if (!manifest) {
        void vscode.window.showWarningMessage('VNF Lens: open a folder first; labels are kept in .vnf-lens/calibration.csv inside it.');
        return;
      }
      const last = session.pipeline.frames.last()?.t ?? 0;
      const range = await askText({
        title: `Label a time range of ${session.title}`,
        prompt: 'FROM:TO in seconds, as interval end times (inclusive); empty side = open',
        value: `${Math.max(0, last - 10).toFixed(1)}:${last.toFixed(1)}`,
        validateInput: (v) => (/^\s*(\d+(\.\d+)?)?\s*:\s*(\d+(\.\d+)?)?\s*$/.test(v) ? undefined : 'Write FROM:TO, e.g. 21:25'),
      });
      if (range === undefined) return;
      const [from, to] = range.split(':').map((x) => x.trim());
      const runSuffix = session.title.match(/\[([^\]]+)\]$/)?.[1];
      // The same intervals labelled twice would weigh double in calibration, or carry two labels.
      const existing = existsSync(manifest) ? await readManifest(manifest).catch(() => []) : [];
      const overlaps = overlappingRows(existing, { path: file, ...(runSuffix ? { select: runSuffix } : {}), ...(from ? { from: Number(from) } : {}), ...(to ? { to: Number(to) } : {}) });
      if (overlaps.length > 0) {
        const lines = overlaps.map((o) => o.entry.line).join(', ');
        const same = overlaps.some((o) => o.sameRange);
        const go = await vscode.window.showWarningMessage(
          same ? `VNF Lens: ${range} of ${session.title} is already labelled (line ${lines} of ${vscode.workspace.asRelativePath(manifest)}).` : `VNF Lens: ${range} of ${session.title} overlaps the labelled range${overlaps.length > 1 ? 's' : ''} at line ${lines} of ${vscode.workspace.asRelativePath(manifest)}.`,
          { modal: true, detail: 'Calibration would count those intervals twice. Edit the manifest to change a label, or label a range that does not overlap.' },
          'Open Manifest',
        );
        if (go === 'Open Manifest') await vscode.window.showTextDocument(vscode.Uri.file(manifest), { selection: new vscode.Range(overlaps[0]!.entry.line - 1, 0, overlaps[0]!.entry.line - 1, 0) });
        return;
      }
      const state = await pick('State of the router in this range', ['processing', 'idle', '(no state label)']);
      if (state === undefined) return;
      const loss = await pick('Loss regime in this range', ['clean', 'lossy', '(no loss label)']);
      if (loss === undefined) return;
      const scenario = await askText({ title: 'Traffic scenario (optional)', prompt: 'e.g. 5000-64 (rate Mbit/s - packet size); empty for none' });
      if (scenario === undefined) return;
      await mkdir(dirname(manifest), { recursive: true });
      if (!existsSync(manifest)) await writeFile(manifest, MANIFEST_HEADER.join(',') + '\n');
      const row = [csvField(relative(dirname(manifest), file) + (runSuffix ? `#${runSuffix}` : '')), from ?? '', to ?? '', state.startsWith('(') ? '' : state, loss.startsWith('(') ? '' : loss, csvField(scenario.trim())];
      await appendFile(manifest, row.join(',') + '\n');
      void vscode.window.showInformationMessage(`VNF Lens: labelled ${range} of ${session.title} (${vscode.workspace.asRelativePath(manifest)}).`, 'Calibrate Now').then((a) => {
        if (a) void vscode.commands.executeCommand('vnfLens.calibrate', manifest);
      });
    }),

    vscode.commands.registerCommand('vnfLens.calibrate', async (manifestArg?: string) => {
      if (!(await requireTrust('Calibrating (it writes a model and makes it the folder’s model)'))) return;
      let manifest = typeof manifestArg === 'string' ? manifestArg : defaultManifest();
      if (!manifest || !existsSync(manifest)) {
        const picked = await vscode.window.showOpenDialog({ title: 'Calibration manifest (CSV: file,from,to,state,loss,scenario)', filters: { 'CSV manifest': ['csv'] } });
        manifest = picked?.[0]?.fsPath;
      }
      if (!manifest) return;
      const out = modelFileFor(manifest);
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
        const where = vscode.workspace.asRelativePath(out);
        const gaps = modelGaps(model);
        if (gaps.worthAsking) {
          const activate = 'Use It Anyway';
          const answer = await vscode.window.showWarningMessage(
            `VNF Lens: model "${model.name}" was built from ${model.provenance.counts.intervals} intervals. Make it the active model?`,
            {
              modal: true,
              detail: `It lacks:\n• ${gaps.lacks.join('\n• ')}\n\n${!model.loss && !model.scenarios ? 'While it is active, the loss regime and scenarios come from the default model. ' : ''}Label more of your sessions (VNF Lens: Label Time Range…) and calibrate again for a complete model. The model is saved in ${where} either way.`,
            },
            activate,
          );
          if (answer !== activate) {
            void vscode.window.showInformationMessage(`VNF Lens: model saved in ${where}; still using ${models.active ? describeActiveModel(models.active) : 'no model'}.`);
            return;
          }
        }
        await storePathSetting('modelPath', out);
        const m = await models.reload();
        if (m) void vscode.window.showInformationMessage(`VNF Lens: now using ${describeActiveModel(m)}, built from ${model.provenance.counts.intervals} intervals.`);
      } catch (e) {
        showError(`VNF Lens: calibration failed: ${(e as Error).message}`);
      }
    }),

    vscode.commands.registerCommand('vnfLens.useModel', async () => {
      if (!(await requireTrust('Choosing the folder’s model'))) return;
      const active = models.active;
      const choice = await pickOne(
        [
          { label: 'Default model', description: 'built from the ITC 2021 reference data', id: 'default' },
          { label: 'Choose a model file…', description: 'made by VNF Lens: Calibrate… or vnf-lens calibrate', id: 'file' },
        ],
        { title: `Now using ${active ? describeActiveModel(active) : 'no model'}` },
      );
      if (!choice) return;
      let path = '';
      if (choice.id === 'file') {
        const picked = await vscode.window.showOpenDialog({ title: 'VNF Lens model', filters: { 'Model JSON': ['json'] } });
        if (!picked?.[0]) return;
        path = picked[0].fsPath;
      }
      await storePathSetting('modelPath', path);
      const m = await models.reload();
      if (m) void vscode.window.showInformationMessage(`VNF Lens: now using ${describeActiveModel(m)}.${m.lacks.length > 0 ? ` It lacks ${m.lacks.map((l) => l.split(':')[0]).join(', ')}.` : ''}`);
    }),
  ];
}

async function pick(title: string, items: string[]): Promise<string | undefined> {
  return pickText(items, { title });
}
