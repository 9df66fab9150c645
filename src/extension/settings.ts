import { isAbsolute, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';

/** The extension's settings, read fresh each time (they can change while sessions run). */
export interface LensSettings {
  hosts: string[];
  sshConfigFile: string | undefined;
  events: string[];
  intervalMs: number;
  modelPath: string | undefined;
  recordingsFolder: string | undefined;
  panelWindowSeconds: number;
  replaySpeed: number;
  /** Seconds to wait for an exited router to come back as a new revision (0: the session ends). */
  restartTimeoutSeconds: number;
}

export function readSettings(): LensSettings {
  const c = vscode.workspace.getConfiguration('vnfLens');
  const str = (k: string) => {
    const v = c.get<string>(k, '').trim();
    return v === '' ? undefined : v;
  };
  return {
    hosts: c.get<string[]>('hosts', []).filter((h) => typeof h === 'string' && h.trim() !== ''),
    sshConfigFile: str('sshConfigFile'),
    events: c.get<string[]>('events', []).filter((e) => typeof e === 'string' && e.trim() !== ''),
    intervalMs: c.get<number>('intervalMs', 1000),
    modelPath: str('modelPath'),
    recordingsFolder: str('recordingsFolder'),
    panelWindowSeconds: c.get<number>('panelWindowSeconds', 120),
    replaySpeed: c.get<number>('replaySpeed', 4),
    restartTimeoutSeconds: Math.max(0, c.get<number>('restartTimeoutSeconds', 30)),
  };
}

/** A path from the settings: relative paths are relative to the first workspace folder. */
export function resolveSettingPath(p: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder && !isAbsolute(p) ? join(folder, p) : p;
}

/**
 * Writes a file path into the workspace's settings: relative to the folder when the file
 * is inside it (so the folder can move or be shared), else as is. Without a folder, into
 * the user's settings.
 */
export async function storePathSetting(key: 'modelPath', path: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const c = vscode.workspace.getConfiguration('vnfLens');
  if (!folder) return c.update(key, path, vscode.ConfigurationTarget.Global);
  const rel = path === '' ? '' : relative(folder, path);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  await c.update(key, inside ? rel.split(sep).join('/') : path, vscode.ConfigurationTarget.Workspace);
}
