import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { readAllIntervals } from '../../core/source/readIntervals.ts';
import { pickOne, pickText, type QuickFlow } from './quickInput.ts';

export interface PickedRecording {
  path: string;
  /** For files holding several runs (the wide CSV): the chosen run. */
  run?: string;
}

const FILTERS = { 'Recordings and perf output': ['vnflens', 'txt', 'csv', 'json', 'perf', 'log'], 'All files': ['*'] };

type RecordingItem = vscode.QuickPickItem & { uri?: vscode.Uri };

/**
 * Asks for a recording (and a run, when the file holds several): the workspace's
 * recordings in a quick pick, which stays open whatever takes the focus, and any other
 * file through the open dialog. Undefined if the user cancels.
 */
export async function pickRecording(title: string, flow?: QuickFlow): Promise<PickedRecording | undefined> {
  const found = await vscode.workspace.findFiles('**/*.vnflens', '**/node_modules/**', 200);
  let uri: vscode.Uri | undefined;
  if (found.length > 0) {
    found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    const items: RecordingItem[] = [
      ...found.map((u) => ({ label: `$(history) ${basename(u.fsPath)}`, description: vscode.workspace.asRelativePath(dirname(u.fsPath)), uri: u })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(folder-opened) Browse for a recording or perf output file…' },
    ];
    const options = { title, placeHolder: 'A recording in this folder, or another file', matchOnDescription: true };
    const choice = await (flow ? flow.pick(items, options) : pickOne(items, options));
    if (!choice) return undefined;
    uri = choice.uri;
  }
  const dialog = () => vscode.window.showOpenDialog({ title, canSelectMany: false, filters: FILTERS, openLabel: 'Select' });
  uri ??= (await (flow ? flow.elsewhere(dialog) : dialog()))?.[0];
  if (!uri) return undefined;
  return pickRun(uri.fsPath, title, flow);
}

export async function pickRun(path: string, title: string, flow?: QuickFlow): Promise<PickedRecording | undefined> {
  const runs = await runsOf(path);
  if (runs.length <= 1) return { path };
  const options = { title: `${title}: the file holds ${runs.length} runs`, placeHolder: 'Pick a run (RATE-SIZE)' };
  const run = flow ? (await flow.pick(runs.map((label) => ({ label })), options))?.label : await pickText(runs, options);
  return run ? { path, run } : undefined;
}

/** Only the wide CSV has runs; it is small, so reading it whole is fine. */
async function runsOf(path: string): Promise<string[]> {
  if (!path.toLowerCase().endsWith('.csv')) return [];
  const runs = new Set<string>();
  try {
    for (const iv of await readAllIntervals(path)) if (iv.run !== undefined) runs.add(iv.run);
  } catch {
    return [];
  }
  return [...runs].sort((a, b) => {
    const [ra, sa] = a.split('-').map(Number);
    const [rb, sb] = b.split('-').map(Number);
    return (ra ?? 0) - (rb ?? 0) || (sa ?? 0) - (sb ?? 0) || a.localeCompare(b);
  });
}
