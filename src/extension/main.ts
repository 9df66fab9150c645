import * as vscode from 'vscode';
import { registerLinkConfigCommand } from './commands/linkConfigCommand.ts';
import { registerSessionCommands } from './commands/sessionCommands.ts';
import { ConfigAnnotations } from './config/configAnnotations.ts';
import { ConfigLinks } from './config/configLinks.ts';
import { Disposable } from './disposable.ts';
import { disposeLog, log } from './log.ts';
import { LivePanels } from './panels/livePanels.ts';
import { ModelStore } from './sessions/modelStore.ts';
import { SessionManager } from './sessions/sessionManager.ts';
import { SessionsTree } from './views/sessionsTree.ts';
import { StatusBar } from './views/statusBar.ts';

/** Everything the extension creates lives here and goes with it. */
class VnfLens extends Disposable {
  constructor(context: vscode.ExtensionContext) {
    super();
    const models = this.register(new ModelStore());
    const sessions = this.register(new SessionManager(models));
    const panels = this.register(new LivePanels(context.extensionUri, sessions, models));
    const tree = this.register(new SessionsTree(sessions));
    this.register(vscode.window.createTreeView('vnfLens.sessions', { treeDataProvider: tree, showCollapseAll: false }));
    this.register(new StatusBar(sessions));
    for (const d of registerSessionCommands(sessions, panels)) this.register(d);
    const links = this.register(new ConfigLinks(sessions));
    this.register(new ConfigAnnotations(links, sessions));
    this.register(registerLinkConfigCommand(sessions, links));
  }
}

let instance: VnfLens | undefined;

export function activate(context: vscode.ExtensionContext): void {
  try {
    instance = new VnfLens(context);
    context.subscriptions.push(instance);
  } catch (e) {
    const err = e as Error;
    log().error(`activation failed: ${err.stack ?? err.message}`);
    void vscode.window.showErrorMessage(`VNF Lens could not start: ${err.message}. See Output → VNF Lens.`);
  }
}

export function deactivate(): void {
  instance?.dispose();
  instance = undefined;
  disposeLog();
}
