import * as vscode from 'vscode';

/**
 * Attaching runs perf (and ssh, with the folder's ssh settings), and calibrating writes
 * the folder's model setting: both need a trusted folder. Says so, with a way to trust it.
 */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const answer = await vscode.window.showWarningMessage(
    `VNF Lens: ${what} needs a trusted folder. This folder is in Restricted Mode, where replaying and comparing recordings work but nothing is run on your machine or your lab hosts.`,
    manage,
  );
  if (answer === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
