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
  };
}
