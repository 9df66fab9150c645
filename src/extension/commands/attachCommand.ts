import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { listProcesses, type ProcessEntry } from '../../core/live/processes.ts';
import { sshConfigHosts } from '../../core/live/sshConfigHosts.ts';
import { describeTarget, parseSshDestination, validateTarget, type Target } from '../../core/live/target.ts';
import type { LivePanels } from '../panels/livePanels.ts';
import { LiveSource } from '../sessions/liveSource.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { readSettings } from '../settings.ts';
import { requireTrust } from '../trust.ts';
import { logPicked, logProcessList } from './attachLog.ts';
import { pickProcesses } from './processPicker.ts';
import { askText, pickOne } from './quickInput.ts';
import { showError } from '../log.ts';

type TargetPick = vscode.QuickPickItem & { target?: Target; manual?: boolean };

/** Attach to Router Process…: target (local, ssh config hosts, settings hosts) → process (routers first) → live session. */
export function registerAttachCommand(context: vscode.ExtensionContext, sessions: SessionManager, panels: LivePanels): vscode.Disposable {
  return vscode.commands.registerCommand('vnfLens.attach', async () => {
    if (!(await requireTrust('Attaching to a router (it runs perf, locally or over ssh)'))) return;
    const settings = readSettings();
    const target = await pickTarget(settings.sshConfigFile, settings.hosts);
    if (!target) return;
    const where = target.kind === 'local' ? hostname() : target.host;
    let procs: ProcessEntry[];
    try {
      procs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `VNF Lens: listing processes on ${where}…` }, () => listProcesses(target));
    } catch (e) {
      showError(`VNF Lens: cannot list the processes on ${where}: ${(e as Error).message}`);
      return;
    }
    logProcessList(where, procs);
    const picked = await pickProcesses(procs, where);
    if (!picked || picked.length === 0) return;
    logPicked(where, picked);
    const pids = picked.map((p) => p.pid);
    // perf twice on one router doubles its cost and gives two tabs of the same thing: show the one there is.
    const existing = sessions.findLive(describeTarget(target), pids);
    if (existing) {
      panels.show(existing);
      const same = existing.source.pids.length === pids.length && pids.every((p) => existing.source.pids.includes(p));
      void vscode.window.showInformationMessage(
        same ? `VNF Lens: ${existing.title} is already attached; showing its session.` : `VNF Lens: pid ${pids.filter((p) => existing.source.pids.includes(p)).join(', ')} is already attached in ${existing.title}; stop that session first to attach a different set.`,
      );
      return existing.id;
    }
    const folder = settings.recordingsFolder ?? (vscode.workspace.workspaceFolders?.[0] ? join(vscode.workspace.workspaceFolders[0].uri.fsPath, '.vnf-lens', 'recordings') : join(context.globalStorageUri.fsPath, 'recordings'));
    await mkdir(folder, { recursive: true });
    const name = `${picked[0]!.router?.kind ?? 'process'}-${pids.join('-')}-${new Date().toISOString().replace(/[:.]/g, '-')}.vnflens`;
    const source = new LiveSource({
      target,
      pids,
      processes: picked.map((p) => ({ pid: p.pid, cmdline: p.commandLine })),
      events: settings.events,
      intervalMs: settings.intervalMs,
      recordTo: join(folder, name),
    });
    const title = `${picked.map((p) => p.router?.name ?? p.argv[0]?.split('/').pop()).join(' + ')} @ ${where}`;
    const s = await sessions.start(title, source);
    panels.show(s);
    return s.id;
  });
}

async function pickTarget(sshConfigFile: string | undefined, extraHosts: string[]): Promise<Target | undefined> {
  // The machine the extension runs on, by its name: under Remote-SSH that is the lab host, not the laptop.
  const items: TargetPick[] = [{ label: `$(vm) ${hostname()}`, description: 'this machine: perf runs here', target: { kind: 'local' } }];
  const configHosts = sshConfigHosts(sshConfigFile);
  if (configHosts.length + extraHosts.length > 0) items.push({ label: 'SSH hosts', kind: vscode.QuickPickItemKind.Separator });
  for (const h of configHosts) items.push({ label: `$(remote) ${h}`, description: 'ssh config', target: { kind: 'ssh', host: h, ...(sshConfigFile ? { configFile: sshConfigFile } : {}) } });
  for (const h of extraHosts) {
    try {
      const d = parseSshDestination(h);
      items.push({ label: `$(remote) ${h}`, description: 'settings', target: { kind: 'ssh', ...d, ...(sshConfigFile ? { configFile: sshConfigFile } : {}) } });
    } catch (e) {
      items.push({ label: `$(error) ${h}`, description: (e as Error).message });
    }
  }
  items.push({ label: '$(add) Other SSH host…', description: '[user@]host[:port]', manual: true });
  const pick = await pickOne(items, { title: 'Attach to a router on…' });
  if (!pick) return undefined;
  if (pick.manual) {
    const text = await askText({
      title: 'SSH host',
      prompt: 'As [user@]host[:port]. VNF Lens uses your ssh setup (keys, agent, ~/.ssh/config) and never asks for passwords.',
      validateInput: (v) => {
        try {
          parseSshDestination(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (!text) return undefined;
    return validateTarget({ kind: 'ssh', ...parseSshDestination(text), ...(sshConfigFile ? { configFile: sshConfigFile } : {}) });
  }
  return pick.target ? validateTarget(pick.target) : undefined;
}
