import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { newNonce } from '../../../src/core/ui/nonce.ts';
import { panelHtml } from '../../../src/core/ui/panelHtml.ts';
import type { FromWebview, ToWebview } from '../../../src/protocol.ts';
import { repoRoot } from '../../support/paths.ts';
import type { TestTheme } from './themes.ts';

/** The page's globals the tests touch (the test project has no DOM types). */
interface PageGlobals {
  dispatchEvent(e: unknown): boolean;
  MessageEvent: new (type: string, init: { data: unknown }) => unknown;
  requestAnimationFrame(cb: () => void): number;
}

export interface ChartPoint {
  x: number;
  y: number | null;
}

/** The panel's test hook as the tests read it (webview/README.md documents it). */
export interface PanelHook {
  charts: Record<
    string,
    {
      data: { datasets: { label: string; data: ChartPoint[]; borderColor: string; borderDash: number[]; hidden?: boolean; pointRadius?: number | number[]; yAxisID?: string }[] };
      options: { scales: Record<string, { min?: number; max?: number; display?: boolean | string }>; plugins: { vnfCalibration?: { count: number } } };
      chartArea: { width: number };
      width: number;
    }
  >;
  renderNow(): void;
  renders(): number;
  lastRenderMs(): number;
  view(): { paused: boolean; pausedAt: number | null; scrollBack: number; stream: string | null; group: string | null; start: number; end: number; maxScrollBack: number; latest: number; windowSeconds: number; pending: number };
  streams(): { name: string; size: number; capacity: number; firstT: number; lastT: number; markers: { t: number; kind: string; to?: string }[] }[];
  notices(): { id: string; level: string; text: string; detail?: string }[];
  legend(name: string): string[];
  layout(): 'normal' | 'no-pmu';
  markers(): { t: number; label: string; color: string; dashed: boolean }[];
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const ARTIFACTS = path.join(repoRoot, 'test-artifacts', 'webview');

const MEDIA = path.join(repoRoot, 'media');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/**
 * Serves the built panel the way VS Code does: the HTML from `panelHtml` with its
 * CSP (the server's origin stands in for `webview.cspSource`), the bundle and the
 * styles from media/. Only files under media/ are served.
 */
export function startServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/panel.html') {
      const html = panelHtml({ cspSource: origin, nonce: newNonce(), scriptUri: `${origin}/media/dist/live.js`, styleUri: `${origin}/media/panel.css`, title: url.searchParams.get('title') ?? 'Live' });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const file = path.normalize(path.join(repoRoot, decodeURIComponent(url.pathname)));
    if (!file.startsWith(MEDIA + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/**
 * Page-side scripts are plain source text: tsx compiles test functions with esbuild's
 * keepNames, which wraps inner functions in a `__name` helper the page does not have.
 * The shim lets `page.evaluate` callbacks written in the tests run as they are.
 */
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

/** What VS Code's webview host gives a panel: acquireVsCodeApi with postMessage and get/setState (kept across reloads of the tab). */
const STAND_IN_VSCODE_API = `(() => {
  let acquired = false;
  const key = 'vnf-lens-test-webview-state';
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => { void window.__vnfLensHostReceive(JSON.parse(JSON.stringify(m))); },
      getState: () => { const s = sessionStorage.getItem(key); return s === null ? undefined : JSON.parse(s); },
      setState: (s) => { sessionStorage.setItem(key, JSON.stringify(s)); return s; },
    });
  };
})();`;

/** Sets the theme the way VS Code does: variables on the root element, a class on the body (as soon as it exists). */
function themeScript(theme: TestTheme): string {
  return `(() => {
  const theme = ${JSON.stringify(theme)};
  const apply = () => {
    for (const [k, v] of Object.entries(theme.vars)) document.documentElement.style.setProperty(k, v);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(theme.bodyClass);
    document.body.dataset.vscodeThemeKind = theme.bodyClass;
  };
  if (document.body) apply();
  else {
    const mo = new MutationObserver(() => { if (document.body) { mo.disconnect(); apply(); } });
    mo.observe(document, { childList: true, subtree: true });
  }
})();`;
}

export class Browser {
  private constructor(
    readonly context: BrowserContext,
    private readonly server: Server,
    readonly origin: string,
    private readonly profile: string,
  ) {}

  /** Chromium with a fresh profile, and the panel server. */
  static async start(): Promise<Browser> {
    const profile = mkdtempSync(path.join(tmpdir(), 'vnf-lens-chromium-'));
    const { server, origin } = await startServer();
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1400, height: 1000 } });
    return new Browser(context, server, origin, profile);
  }

  async open(theme: TestTheme, title = 'fastclick 5000-64'): Promise<PanelPage> {
    const page = await this.context.newPage();
    const p = new PanelPage(page, `${this.origin}/panel.html?title=${encodeURIComponent(title)}`);
    await page.exposeBinding('__vnfLensHostReceive', (_source, m: FromWebview) => {
      p.posted.push(m);
    });
    await page.addInitScript(NAME_SHIM);
    await page.addInitScript(STAND_IN_VSCODE_API);
    await page.addInitScript(themeScript(theme));
    page.on('pageerror', (e) => p.pageErrors.push(e.stack ?? e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') p.consoleErrors.push(m.text());
    });
    await p.load();
    return p;
  }

  async close(): Promise<void> {
    await this.context.close();
    await new Promise<void>((r) => this.server.close(() => r()));
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class PanelPage {
  readonly posted: FromWebview[] = [];
  readonly pageErrors: string[] = [];
  readonly consoleErrors: string[] = [];

  constructor(
    readonly page: Page,
    private readonly url: string,
  ) {}

  /** Loads (or reloads) the panel and waits for its `ready`. */
  async load(): Promise<void> {
    const before = this.posted.filter((m) => m.type === 'ready').length;
    await this.page.goto(this.url);
    await this.waitForPosted((m) => m.type === 'ready', before);
  }

  /** Delivers a message as VS Code does: a `message` event on the panel's window. */
  async send(m: ToWebview): Promise<void> {
    await this.page.evaluate((msg: unknown) => {
      const g = globalThis as unknown as PageGlobals;
      g.dispatchEvent(new g.MessageEvent('message', { data: msg }));
    }, m as unknown);
    await this.settle();
  }

  /** Two animation frames: the panel renders at most once per frame. */
  async settle(): Promise<void> {
    await this.page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return new Promise<void>((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(() => r())));
    });
  }

  /** Runs `fn` in the page with the panel's test hook (`window.__vnfLensPanel`); `fn` must be self-contained. */
  hook<R>(fn: (hook: PanelHook, arg: unknown) => R, arg: unknown = null): Promise<R> {
    return this.page.evaluate(`(${fn.toString()})(globalThis.__vnfLensPanel, ${JSON.stringify(arg)})`) as Promise<R>;
  }

  /** Runs page-side source text (DOM operations the tests need). */
  run<R>(source: string): Promise<R> {
    return this.page.evaluate(source) as Promise<R>;
  }

  async waitForPosted(pred: (m: FromWebview) => boolean, skip = 0, timeoutMs = 10_000): Promise<FromWebview> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.posted.filter(pred);
      if (found.length > skip) return found[skip]!;
      if (Date.now() > end) throw new Error(`the panel did not post the expected message within ${timeoutMs} ms; it posted ${JSON.stringify(this.posted)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async setTheme(theme: TestTheme): Promise<void> {
    await this.page.evaluate(themeScript(theme));
    await this.settle();
  }

  text(selector: string): Promise<string> {
    return this.page.locator(selector).first().innerText();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Messages that mean something went wrong in the page. */
  problems(): string[] {
    return [...this.posted.filter((m) => m.type === 'error' || m.type === 'cspViolation').map((m) => JSON.stringify(m)), ...this.pageErrors, ...this.consoleErrors];
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

export function bundleBuilt(): boolean {
  try {
    readFileSync(path.join(MEDIA, 'dist', 'live.js'));
    return true;
  } catch {
    return false;
  }
}
