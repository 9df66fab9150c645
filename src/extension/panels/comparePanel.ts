import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ComparisonResult } from '../../core/compare/compareRuns.ts';
import { renderHtml } from '../../core/compare/render/html.ts';
import { renderMarkdown } from '../../core/compare/render/markdown.ts';
import { Disposable } from '../disposable.ts';
import { log } from '../log.ts';
import { setHasComparison } from '../sessions/sessionContext.ts';

export const COMPARE_PANEL_TYPE = 'vnfLens.compare';

type CompareMessage = { type: 'export'; format: 'md' | 'html' } | { type: 'cspViolation'; directive: string; blockedURI: string };

/**
 * The A/B comparison: the same self-contained report the CLI writes (tables and SVG
 * charts, no script of its own), shown under a strict CSP with the editor's colours,
 * plus export buttons.
 */
export class ComparePanel extends Disposable {
  private static latest: ComparePanel | undefined;

  static get current(): ComparePanel | undefined {
    return ComparePanel.latest && !ComparePanel.latest.isDisposed ? ComparePanel.latest : undefined;
  }

  constructor(
    readonly result: ComparisonResult,
    private readonly panel: vscode.WebviewPanel = vscode.window.createWebviewPanel(COMPARE_PANEL_TYPE, `Compare: ${result.a.label} vs ${result.b.label}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] }),
  ) {
    super();
    ComparePanel.latest = this;
    setHasComparison(true);
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((m: CompareMessage) => this.onMessage(m)));
    panel.webview.html = comparisonHtml(result, panel.webview.cspSource);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
    if (ComparePanel.latest === this) setHasComparison(false);
  }

  /** Asks where to save the report and writes it; returns the file, or undefined if cancelled. */
  async export(format: 'md' | 'html'): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `comparison.${format}`;
    const uri = await vscode.window.showSaveDialog({
      title: 'Export comparison report',
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      filters: format === 'md' ? { Markdown: ['md'] } : { HTML: ['html'] },
    });
    if (!uri) return undefined;
    await writeFile(uri.fsPath, format === 'md' ? renderMarkdown(this.result) : renderHtml(this.result));
    void vscode.window.showInformationMessage(`VNF Lens: report written to ${vscode.workspace.asRelativePath(uri)}.`);
    return uri;
  }

  private onMessage(m: CompareMessage): void {
    if (m.type === 'export') void this.export(m.format);
    else log().error(`compare panel: content security policy blocked ${m.blockedURI} (${m.directive})`);
  }
}

/** The report's own page, with a nonce on its style, editor colours on top, and two buttons. */
export function comparisonHtml(result: ComparisonResult, cspSource: string): string {
  const nonce = randomBytes(16).toString('base64');
  const report = renderHtml(result);
  const style = /<style>([\s\S]*?)<\/style>/.exec(report)?.[1] ?? '';
  const body = /<body>([\s\S]*?)<\/body>/.exec(report)?.[1] ?? '';
  const csp = [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `img-src data: ${cspSource}`, `script-src 'nonce-${nonce}'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${nonce}">${style}
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); max-width: none; margin: 12px; padding: 0; }
/* The report is made for a page; in an editor column the tables must fit: cells wrap, the table takes the width. */
table { width: 100%; font-size: 12px; }
th, td { white-space: normal; padding: 2px 6px; }
td:first-child { overflow-wrap: anywhere; }
.verdict { background: var(--vscode-textBlockQuote-background); border-left-color: var(--vscode-textLink-foreground); }
th, td { border-bottom-color: var(--vscode-panel-border); }
.small { color: var(--vscode-descriptionForeground); }
svg.chart { background: #fff; border-radius: 4px; }
.toolbar { display: flex; gap: 8px; justify-content: flex-end; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
</style>
</head>
<body>
<div class="toolbar"><button id="export-md">Export Markdown</button><button id="export-html">Export HTML</button></div>
${body}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('securitypolicyviolation', (e) => vscode.postMessage({ type: 'cspViolation', directive: e.effectiveDirective, blockedURI: String(e.blockedURI) }));
document.getElementById('export-md').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'md' }));
document.getElementById('export-html').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'html' }));
</script>
</body>
</html>`;
}
