import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

// Functions passed to page.waitForFunction run in the browser; these are the bits of its DOM they use.
declare const document: {
  querySelector<T>(selector: string): T | null;
  querySelectorAll(selector: string): { length: number };
};
interface HTMLInputElement {
  value: string;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface Workbench {
  page: Page;
  /** Console errors and CSP reports from the workbench and every webview frame. */
  consoleProblems: string[];
  close(): Promise<void>;
  screenshot(name: string): Promise<string>;
}

/** Headless Chromium on code-server, as a user would open it. */
export async function openWorkbench(url: string, folder: string, artifacts: string): Promise<Workbench> {
  // Playwright gives every launch a fresh, temporary profile.
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleProblems: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(text)) consoleProblems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`page error: ${e.message}`));
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: 90_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // Ready when the folder is listed and the extension's view container is in the activity bar.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
  await page.waitForSelector('.activitybar .action-item a[aria-label^="VNF Lens"], .activitybar .action-item [aria-label^="VNF Lens"]', { timeout: 90_000 });
  mkdirSync(artifacts, { recursive: true });
  return {
    page,
    consoleProblems,
    close: async () => {
      await browser.close();
    },
    screenshot: async (name: string) => {
      const path = join(artifacts, `${name}.png`);
      await page.screenshot({ path, type: 'png' });
      return path;
    },
  };
}

/** Runs a command from the palette by its title, e.g. `VNF Lens: Replay Recording…`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // With the focus in a webview, F1 reaches the workbench a moment later, or not at all the first
  // time; and in the first seconds the workbench may still open a view that takes the focus and
  // closes the palette (it did under load): a person presses F1 again.
  for (let attempt = 0; ; attempt++) {
    for (let i = 0; i < 5 && !(await input.isVisible()); i++) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined);
    }
    try {
      await input.fill(`>${title}`, { timeout: 5000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** Picks the quick-pick row containing `text` (typing it to filter first). */
export async function quickPick(page: Page, text: string, opts: { type?: boolean; timeout?: number } = {}): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: opts.timeout ?? 20_000 });
  if (opts.type !== false) await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout: opts.timeout ?? 20_000 });
  await page.keyboard.press('Enter');
}

/** Answers VS Code's simple file dialog (code-server) with a full path. */
export async function answerFileDialog(page: Page, path: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  // The dialog writes its starting folder into the box once it has listed it: only then type.
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLInputElement>('.quick-input-widget input');
    return !!el && el.value.startsWith('/') && document.querySelectorAll('.quick-input-list .monaco-list-row').length > 0;
  }, undefined, { timeout: 20_000 });
  await input.fill(path);
  // It completes as one types; accept once the box says exactly the path.
  await page.waitForFunction((p) => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value === p, path, { timeout: 10_000 });
  await page.waitForTimeout(300);
  await input.press('Enter');
  await page.waitForFunction((p) => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value !== p || !document.querySelector('.quick-input-widget:not([style*="display: none"])'), path, { timeout: 10_000 }).catch(() => undefined);
}

/** Types into the quick input box (InputBox prompts) and accepts. */
export async function answerInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(text);
  await input.press('Enter');
}

/** The innermost frame of the webview whose document matches `selector`. */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      try {
        if (await f.$(selector)) return f;
      } catch {
        // frame navigating or detached
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with ${selector} within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** Texts of the error notifications currently shown. */
export async function errorNotifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item:has(.codicon-error)').allInnerTexts();
}
