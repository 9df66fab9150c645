/**
 * Entry point of the live panel (bundled to media/dist/live.js). Wires the extension's
 * messages to the panel, reports script errors and CSP violations back, and exposes
 * a read-only test hook as `window.__vnfLensPanel` (see webview/README.md).
 */
import type { FromWebview, ToWebview } from '../../src/protocol.ts';
import { Host } from '../live/host.ts';
import { LivePanel } from '../live/panel.ts';
import type { PanelTestHook } from '../live/testHook.ts';
import { watchTheme } from '../live/theme.ts';

declare global {
  interface Window {
    __vnfLensEarly?: { directive: string; blockedURI: string }[] | null;
    __vnfLensPanel?: PanelTestHook;
  }
}

const host = new Host();
const post = (m: FromWebview) => host.post(m);

// Violations seen before this script ran were queued by the page's first script.
for (const v of window.__vnfLensEarly ?? []) post({ type: 'cspViolation', directive: v.directive, blockedURI: v.blockedURI });
window.__vnfLensEarly = null;
document.addEventListener('securitypolicyviolation', (e) => post({ type: 'cspViolation', directive: e.effectiveDirective || e.violatedDirective, blockedURI: String(e.blockedURI ?? '') }));
window.addEventListener('error', (e) => {
  const where = e.filename ? ` (${e.filename}:${e.lineno}:${e.colno})` : '';
  post({ type: 'error', message: `${e.message}${where}` });
});
window.addEventListener('unhandledrejection', (e) => post({ type: 'error', message: `unhandled rejection: ${String((e.reason as Error)?.stack ?? e.reason)}` }));

const root = document.getElementById('app');
if (!root) throw new Error('live panel: the page has no #app element');
const panel = new LivePanel(host, root);
watchTheme(() => panel.onThemeChange());

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (m === null || typeof m !== 'object' || typeof m.type !== 'string') return;
  try {
    panel.handle(m);
  } catch (err) {
    post({ type: 'error', message: `handling '${m.type}': ${(err as Error).stack ?? String(err)}` });
  }
});

window.__vnfLensPanel = panel.testHook();
post({ type: 'ready' });
