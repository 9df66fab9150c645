import * as vscode from 'vscode';
import { registerAttachCommand } from './commands/attachCommand.ts';
import { registerCompareCommands } from './commands/compareCommands.ts';
import { registerCalibrationCommands } from './commands/calibrationCommands.ts';
import { registerLinkConfigCommand } from './commands/linkConfigCommand.ts';
import { registerRevisionCommands } from './commands/revisionCommands.ts';
import { registerSessionCommands } from './commands/sessionCommands.ts';
import { ConfigAnnotations } from './config/configAnnotations.ts';
import { ConfigLinks } from './config/configLinks.ts';
import { registerCostCommand } from './cost/costCommand.ts';
import { ElementCostController } from './cost/elementCostController.ts';
import { ElementCostLenses } from './cost/elementCostLenses.ts';
import { VppNodeLenses } from './cost/vppNodeLenses.ts';
import { Disposable } from './disposable.ts';
import { disposeLog, log } from './log.ts';
import { LivePanels } from './panels/livePanels.ts';
import { ModelStore, type ActiveModel } from './sessions/modelStore.ts';
import { RouterTeacher } from './sessions/routerTeacher.ts';
import { SessionContext } from './sessions/sessionContext.ts';
import { SessionManager } from './sessions/sessionManager.ts';
import { SessionsTree } from './views/sessionsTree.ts';
import { DemoStatusContext } from './views/demoStatusContext.ts';
import { StatusBar } from './views/statusBar.ts';
import { Walkthrough } from './walkthrough/walkthrough.ts';

/** Everything the extension creates lives here and goes with it. */
class VnfLens extends Disposable {
  constructor(context: vscode.ExtensionContext) {
    super();
    const models = this.register(new ModelStore());
    const sessions = this.register(new SessionManager(models));
    const panels = this.register(new LivePanels(context.extensionUri, sessions, models));
    const tree = this.register(new SessionsTree(sessions, models));
    this.register(new SessionContext(sessions));
    this.register(new StatusBar(sessions));
    for (const d of registerSessionCommands(sessions, panels)) this.register(d);
    this.register(registerAttachCommand(context, sessions, panels));
    for (const d of registerCompareCommands(sessions, models)) this.register(d);
    for (const d of registerRevisionCommands(sessions)) this.register(d);
    const links = this.register(new ConfigLinks(sessions));
    this.register(new ConfigAnnotations(links, sessions));
    this.register(registerLinkConfigCommand(sessions, links));
    const costs = this.register(new ElementCostController(sessions, links));
    this.register(new ElementCostLenses(links, costs));
    this.register(new VppNodeLenses(links, costs));
    this.register(registerCostCommand(sessions, costs));
    for (const d of registerCalibrationCommands(sessions, models)) this.register(d);
    this.register(new RouterTeacher(context.globalStorageUri, sessions, models));
    const view = this.register(vscode.window.createTreeView('vnfLens.sessions', { treeDataProvider: tree, showCollapseAll: false }));
    const demo = this.register(new DemoStatusContext(view));
    this.register(new Walkthrough(context, sessions, demo.isDemo));
    // The model shows beside the view's title (and as the last row once there are sessions): a message would hide the welcome.
    const showModel = () => {
      view.description = describeModel(models.active);
    };
    this.register(models.onDidChange(showModel));
    // The model loads on first use; the view asks for it only once someone looks.
    this.register(view.onDidChangeVisibility((e) => e.visible && void models.get().then(showModel)));
    if (view.visible) void models.get().then(showModel);
  }
}

/** "default model" or "model my-router" for the view title; the path is in Use Model…. */
function describeModel(m: ActiveModel | null): string {
  if (!m) return 'no model';
  return m.isDefault ? 'default model' : `model ${m.model.name}`;
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
