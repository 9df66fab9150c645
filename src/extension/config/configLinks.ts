import { basename, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { parseVppStartupConf } from '../../core/config/vpp/startupConf.ts';
import { recognizeRouter } from '../../core/host/routers.ts';
import { Disposable } from '../disposable.ts';
import { log } from '../log.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';

/**
 * Which router config file follows which session. Links are made from the router's
 * command line (`click … router.click`, `vpp -c startup.conf`, and the CLI scripts
 * startup.conf names) or by the Link Config command.
 */
export class ConfigLinks extends Disposable {
  private readonly links = new Map<string, string>(); // config fsPath -> session id
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor(private readonly sessions: SessionManager) {
    super();
    this.register(
      sessions.onDidAdd((s) => {
        // Processes are known once the source has started (live: ps; replay: the recording's metadata).
        const once = s.onStep(() => {
          once.dispose();
          void this.linkFromCommandLines(s);
        });
        s.register(once);
      }),
    );
    this.register(sessions.onDidChange(() => this.onDidChangeEmitter.fire()));
  }

  sessionFor(uri: vscode.Uri): Session | undefined {
    const id = this.links.get(uri.fsPath);
    return id ? this.sessions.find(id) : undefined;
  }

  link(uri: vscode.Uri, session: Session): void {
    this.links.set(uri.fsPath, session.id);
    session.linkedConfigs.add(uri.fsPath);
    log().info(`linked ${uri.fsPath} to session ${session.title}`);
    this.onDidChangeEmitter.fire();
  }

  /**
   * Finds the config files named on the routers' command lines in the workspace (by path,
   * else by name), and the CLI scripts a linked VPP startup.conf runs (`unix { startup-config … }`, `exec …`).
   */
  async linkFromCommandLines(s: Session): Promise<vscode.Uri[]> {
    const linked: vscode.Uri[] = [];
    const pending = s.processes.flatMap((p) => recognizeRouter(splitCommandLine(p.cmdline))?.configFiles ?? []);
    const seen = new Set<string>();
    while (pending.length > 0) {
      const uri = await this.locate(pending.shift()!);
      if (!uri || seen.has(uri.fsPath)) continue;
      seen.add(uri.fsPath);
      this.link(uri, s);
      linked.push(uri);
      pending.push(...(await this.scriptsRunBy(uri)));
    }
    return linked;
  }

  /** The files a VPP startup.conf runs at start; nothing for other configs. */
  private async scriptsRunBy(uri: vscode.Uri): Promise<string[]> {
    if (!/\.conf$/i.test(uri.fsPath)) return [];
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return parseVppStartupConf(text).fileRefs.map((r) => r.path);
    } catch (e) {
      log().warn(`cannot read ${uri.fsPath} for the scripts it runs: ${(e as Error).message}`);
      return [];
    }
  }

  private async locate(file: string): Promise<vscode.Uri | undefined> {
    if (isAbsolute(file)) {
      const uri = vscode.Uri.file(file);
      try {
        await vscode.workspace.fs.stat(uri);
        return uri;
      } catch {
        // Recorded on another host: look for a file of the same name in the workspace.
      }
    }
    const found = await vscode.workspace.findFiles(`**/${escapeGlob(basename(file))}`, '**/node_modules/**', 2);
    return found[0];
  }
}

/** Command lines from ps are space-joined argv; quoting is lost, which is fine for finding file names. */
function splitCommandLine(cmdline: string): string[] {
  return cmdline.split(/\s+/).filter((w) => w !== '');
}

function escapeGlob(name: string): string {
  return name.replace(/[[\]{}*?!]/g, (c) => `[${c}]`);
}
