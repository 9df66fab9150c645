/**
 * The HTML shell of a webview panel. Everything the panel shows is built by its
 * script; the shell only sets a strict content security policy: scripts run only
 * with this page's nonce, styles, images and fonts come only from the extension's
 * own webview resources, and nothing may be fetched or framed.
 */
export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin of the extension's webview resources. */
  cspSource: string;
  /** Fresh random value per render (base64 or base64url). */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
/**
 * `webview.cspSource`: one or more source expressions (VS Code in the browser gives
 * `'self' https://*.vscode-cdn.net`): keywords in single quotes or hosts, nothing that
 * would end the directive or open another.
 */
const SOURCE = /^(?:'[a-z-]+'|[^\s;,'"]+)(?: (?:'[a-z-]+'|[^\s;,'"]+))*$/;

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  checkInputs(cspSource, nonce);
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Reports violations from the first moment: the listener is registered before the
 * panel's bundle loads and queues what it sees until the bundle takes over
 * (`window.__vnfLensEarly`; the bundle drains it and posts `cspViolation`).
 */
const EARLY_SCRIPT =
  'window.__vnfLensEarly=[];' +
  "document.addEventListener('securitypolicyviolation',function(e){var q=window.__vnfLensEarly;" +
  "if(q)q.push({directive:e.effectiveDirective||e.violatedDirective||'',blockedURI:String(e.blockedURI||'')});});";

export function panelHtml(o: PanelHtmlOptions): string {
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<script nonce="${escapeHtml(o.nonce)}">${EARLY_SCRIPT}</script>
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading ${escapeHtml(o.title)}…</p></main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function checkInputs(cspSource: string, nonce: string): void {
  if (!NONCE.test(nonce)) throw new Error(`panel nonce ${JSON.stringify(nonce)} is not a base64 value of at least 16 characters`);
  if (!SOURCE.test(cspSource)) throw new Error(`webview CSP source ${JSON.stringify(cspSource)} is not a source expression (no spaces at the ends, quotes, ';' or ',')`);
}
