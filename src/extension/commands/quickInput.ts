import * as vscode from 'vscode';

/**
 * Every quick input VNF Lens opens goes through here, with `ignoreFocusOut`: a command run
 * from the palette while a webview (a README preview, a live panel) is in front gets the
 * focus handed back to that webview a moment after the palette closes, and a quick input
 * that closes on focus loss would vanish before the user saw it. Escape still cancels.
 */
export function pickOne<T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>, options: vscode.QuickPickOptions = {}): Thenable<T | undefined> {
  return vscode.window.showQuickPick(items, { ...options, ignoreFocusOut: true, canPickMany: false });
}

/** A pick among plain strings. */
export function pickText(items: readonly string[], options: vscode.QuickPickOptions = {}): Thenable<string | undefined> {
  return vscode.window.showQuickPick(items, { ...options, ignoreFocusOut: true, canPickMany: false });
}

export function askText(options: vscode.InputBoxOptions): Thenable<string | undefined> {
  return vscode.window.showInputBox({ ...options, ignoreFocusOut: true });
}

/** A quick pick to drive by hand (several ticks, a live filter). */
export function createPicker<T extends vscode.QuickPickItem>(): vscode.QuickPick<T> {
  const qp = vscode.window.createQuickPick<T>();
  qp.ignoreFocusOut = true;
  return qp;
}
