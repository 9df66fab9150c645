import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's log (Output view → VNF Lens). Created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('VNF Lens', { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}

/**
 * An error message that is also in the log, with a "Show Log" button: the log holds what
 * led to it (the processes listed, the counter sources tried, perf's command line).
 */
export function showError(message: string): void {
  log().error(message);
  void vscode.window.showErrorMessage(message, 'Show Log').then((a) => {
    if (a) log().show(true);
  });
}
