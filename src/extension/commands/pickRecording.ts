import * as vscode from 'vscode';
import { readAllIntervals } from '../../core/source/readIntervals.ts';

export interface PickedRecording {
  path: string;
  /** For files holding several runs (the wide CSV): the chosen run. */
  run?: string;
}

const FILTERS = { 'Recordings and perf output': ['vnflens', 'txt', 'csv', 'json', 'perf', 'log'], 'All files': ['*'] };

/** Asks for a recording (and a run, when the file holds several). Undefined if the user cancels. */
export async function pickRecording(title: string): Promise<PickedRecording | undefined> {
  const uris = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: FILTERS, openLabel: 'Select' });
  const uri = uris?.[0];
  if (!uri) return undefined;
  return pickRun(uri.fsPath, title);
}

export async function pickRun(path: string, title: string): Promise<PickedRecording | undefined> {
  const runs = await runsOf(path);
  if (runs.length <= 1) return { path };
  const run = await vscode.window.showQuickPick(runs, { title: `${title}: the file holds ${runs.length} runs`, placeHolder: 'Pick a run (RATE-SIZE)' });
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
