import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEMO_STATUS_FILE, readDemoStatus } from '../../core/live/demoStatus.ts';
import { Disposable } from '../disposable.ts';
import { log } from '../log.ts';

/**
 * `vnfLens.demoRouter` for the Sessions view's welcome: in the demo workspace, whether
 * its router runs and, when not, why (read from the file `npm start` writes). Read again
 * when the file changes and when the view is shown (the router may have stopped since).
 */
export class DemoStatusContext extends Disposable {
  private last: string | undefined = '';
  /** Whether this is the demo workspace (npm start wrote its status file). */
  readonly isDemo: boolean = false;

  constructor(view: vscode.TreeView<unknown>) {
    super();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') return;
    const path = join(folder.uri.fsPath, DEMO_STATUS_FILE);
    this.isDemo = existsSync(path);
    const update = () => {
      const s = readDemoStatus(path);
      const value = s?.router;
      if (value === this.last) return;
      this.last = value;
      if (s) log().info(`demo router: ${s.router}${s.detail ? `: ${s.detail}` : ''}`);
      void vscode.commands.executeCommand('setContext', 'vnfLens.demoRouter', value);
    };
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, DEMO_STATUS_FILE)));
    this.register(watcher.onDidCreate(update));
    this.register(watcher.onDidChange(update));
    this.register(watcher.onDidDelete(update));
    this.register(view.onDidChangeVisibility((e) => e.visible && update()));
    update();
  }
}
