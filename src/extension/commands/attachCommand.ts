import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEMO_STATUS_FILE, readDemoStatus } from '../../core/live/demoStatus.ts';
import type { ProcessEntry } from '../../core/host/processes.ts';
import { listProcessesWithCounters } from '../../core/counters/processCounters.ts';
import { sshConfigHosts } from '../../core/host/sshConfigHosts.ts';
import { describeTarget, parseSshDestination, validateTarget, type Target } from '../../core/host/target.ts';
import type { LivePanels } from '../panels/livePanels.ts';
import { LiveSource } from '../sessions/liveSource.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { type LensSettings, readSettings } from '../settings.ts';
import { requireTrust } from '../trust.ts';
import { logPicked, logProcessList } from './attachLog.ts';
import { pickProcesses } from './processPicker.ts';
import { QuickFlow } from './quickInput.ts';
import { showError } from '../log.ts';

type TargetPick = vscode.QuickPickItem & { target?: Target; manual?: boolean };

/** Attach to Router Process…: target (local, ssh config hosts, settings hosts) → process (routers first) → live session. */
export function registerAttachCommand(context: vscode.ExtensionContext, sessions: SessionManager, panels: LivePanels): vscode.Disposable {
  const command = vscode.commands.registerCommand('vnfLens.attach', async () => {
    if (!(await requireTrust('Attaching to a router (it runs perf, locally or over ssh)'))) return;
    const settings = readSettings();
    // One widget from the host to the process, so the keyboard stays in it when a webview is in front.
    const flow = new QuickFlow();
    try {
      const target = await pickTarget(flow, settings.sshConfigFile, settings.hosts);
      if (!target) return;
      const where = target.kind === 'local' ? hostname() : target.host;
      let procs: ProcessEntry[];
      flow.busy(`Router process on ${where}`, `listing the processes on ${where}…`);
      try {
        procs = await listProcessesWithCounters(target);
      } catch (e) {
        flow.dispose();
        showError(`VNF Lens: cannot list the processes on ${where}: ${(e as Error).message}`);
        return;
      }
      logProcessList(where, procs);
      // The process picker takes the widget over before the flow lets it go.
      const picking = pickProcesses(procs, where, target.kind === 'local' ? demoRouterPid() : undefined);
      flow.dispose();
      const picked = await picking;
      if (!picked || picked.length === 0) return;
      return await attachTo(settings, target, where, picked);
    } finally {
      flow.dispose();
    }
  });

  async function attachTo(settings: LensSettings, target: Target, where: string, picked: ProcessEntry[]): Promise<string | undefined> {
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
      restartTimeoutMs: settings.restartTimeoutSeconds * 1000,
      ...(vscode.workspace.workspaceFolders?.[0] ? { gitDir: vscode.workspace.workspaceFolders[0].uri.fsPath } : {}),
    });
    const title = `${picked.map((p) => p.router?.name ?? p.argv[0]?.split('/').pop()).join(' + ')} @ ${where}`;
    const s = await sessions.start(title, source);
    panels.show(s);
    return s.id;
  }
  return command;
}

/** The demo workspace's router (npm start names it in the folder), to offer first. */
function demoRouterPid(): number | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const s = readDemoStatus(join(folder.uri.fsPath, DEMO_STATUS_FILE));
  return s && (s.router === 'up' || s.router === 'null-devices') ? s.pid : undefined;
}

async function pickTarget(flow: QuickFlow, sshConfigFile: string | undefined, extraHosts: string[]): Promise<Target | undefined> {
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
  const pick = await flow.pick(items, { title: 'Attach to a router on…' });
  if (!pick) return undefined;
  if (pick.manual) {
    const text = await flow.ask({
      title: 'SSH host',
      prompt: 'As [user@]host[:port]. VNF Lens uses your ssh setup (keys, agent, ~/.ssh/config) and never asks for passwords.',
      validate: (v) => {
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
