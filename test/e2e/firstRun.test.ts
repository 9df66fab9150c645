import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { track } from '../support/cleanup.ts';
import { repoRoot } from '../support/paths.ts';
import { freePort } from './support/codeServer.ts';
import { answerFileDialog, openWorkbench, quickPick, runCommand, webviewFrame, type Workbench } from './support/workbench.ts';

/**
 * A new user's first minutes: `npm start` (scripts/start.sh, as is) with a clean VS Code
 * profile, then the Sessions view, the palette, attaching to the demo's dpdk-testpmd with
 * the keyboard, a second attach, stopping, and the VPP config of a replay. Screenshots of
 * every step go to test-artifacts/e2e/first-run-*.png.
 */
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');
const demo = join(repoRoot, '.demo-workspace');

let start: ChildProcess;
let startLog = '';
let profile: string;
let wb: Workbench;
let page: Page;

/**
 * Moves the focus from a webview to the side bar (Ctrl+0), as a user's click would: focus
 * coming back to a webview closes a quick input opened by the command just run.
 */
async function focusSideBar(): Promise<void> {
  await page.keyboard.press('Control+0');
  await page.waitForTimeout(300);
}

/** Whether the palette offers a command, by its full title (the list is filtered by typing it). */
async function paletteOffers(title: string): Promise<boolean> {
  const input = page.locator('.quick-input-widget input');
  // With the focus in a webview, F1 reaches the workbench a moment later, or not at all the first time.
  for (let i = 0; i < 5 && !(await input.isVisible()); i++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined);
  }
  await input.fill(`>${title}`);
  await page.waitForTimeout(600);
  const n = await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).count();
  await page.keyboard.press('Escape');
  return n > 0;
}

function step(name: string, shot: string, fn: () => Promise<void>): void {
  it(name, async () => {
    try {
      await fn();
      await wb.screenshot(`first-run-${shot}`);
    } catch (e) {
      await wb?.screenshot(`first-run-${shot}-FAILED`).catch(() => undefined);
      throw e;
    }
  });
}

describe('first run: npm start on a clean profile', { timeout: 900_000 }, () => {
  before(async () => {
    profile = mkdtempSync(join(tmpdir(), 'vnf-lens-e2e-profile-'));
    // A profile nobody has used, but for reduced motion: a quick input typed into during its
    // close animation stays inert, which only a test types fast enough to meet.
    mkdirSync(join(profile, 'user', 'User'), { recursive: true });
    writeFileSync(join(profile, 'user', 'User', 'settings.json'), JSON.stringify({ 'workbench.reduceMotion': 'on' }));
    const port = await freePort();
    // As a user runs it, with a profile nobody has used; `code` is not on this machine's PATH, so code-server it is.
    start = spawn('bash', [join(repoRoot, 'scripts', 'start.sh')], {
      cwd: repoRoot,
      env: { ...process.env, VNF_LENS_PORT: String(port), VNF_LENS_DEMO_PROFILE: profile, VNF_LENS_CODE_SERVER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const untrack = track('npm start', () => {
      try {
        process.kill(-start.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    });
    start.on('exit', untrack);
    start.stdout!.on('data', (d: Buffer) => (startLog += d.toString()));
    start.stderr!.on('data', (d: Buffer) => (startLog += d.toString()));
    const deadline = Date.now() + 300_000;
    while (!startLog.includes(`http://127.0.0.1:${port}/`)) {
      if (start.exitCode !== null) throw new Error(`npm start exited (${start.exitCode}):\n${startLog}`);
      if (Date.now() > deadline) throw new Error(`npm start printed no URL within 300 s:\n${startLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`code-server did not answer:\n${startLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(startLog, /demo router: dpdk-testpmd \(pid /, 'the demo router runs');
    wb = await openWorkbench(`http://127.0.0.1:${port}`, demo, artifacts);
    page = wb.page;
  });

  after(async () => {
    await wb?.close().catch(() => undefined);
    if (start && start.exitCode === null) {
      process.kill(-start.pid!, 'SIGTERM');
      for (let i = 0; i < 40 && start.exitCode === null; i++) await new Promise((r) => setTimeout(r, 250));
      if (start.exitCode === null) process.kill(-start.pid!, 'SIGKILL');
    }
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  step('opens with the extension on: no trust prompt, no Restricted Mode, the .click file is Click', '1-opened', async () => {
    // The demo opens its README; quick open would lose the focus to it if typed into earlier.
    await page.locator('.tabs-container .tab', { hasText: 'README.md' }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    const dialogs = await page.locator('.monaco-dialog-box').allInnerTexts();
    assert.deepEqual(dialogs.filter((t) => /trust/i.test(t)), [], 'no trust dialog');
    assert.equal(await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).count(), 0, 'not in Restricted Mode');
    await page.keyboard.press('Control+P');
    await quickPick(page, 'router.click');
    await page.locator('.statusbar-item', { hasText: 'Click (FastClick)' }).first().waitFor({ timeout: 20_000 });
  });

  step('the Sessions view welcomes with the first steps', '2-welcome', async () => {
    await page.locator('.activitybar .action-item [aria-label^="VNF Lens"]').first().click();
    const welcome = page.locator('.welcome-view-content');
    await welcome.waitFor({ timeout: 20_000 });
    const text = await welcome.innerText();
    assert.match(text, /No session yet/);
    assert.match(text, /Attach to Router Process/);
    assert.match(text, /Replay Recording/);
    // The view's own actions are icons, not words.
    const actions = page.locator('.pane-header .actions .action-label.codicon');
    assert.ok((await actions.count()) >= 3, 'icon actions in the view title');
  });

  step('the palette offers what can be done now, and no session command without a session', '3-palette', async () => {
    assert.equal(await paletteOffers('VNF Lens: Attach to Router Process…'), true);
    assert.equal(await paletteOffers('VNF Lens: Replay Recording…'), true);
    for (const t of ['VNF Lens: Pause Session', 'VNF Lens: Resume Session', 'VNF Lens: Stop Session', 'VNF Lens: Add Mark…', 'VNF Lens: Export Report…']) {
      assert.equal(await paletteOffers(t), false, `${t} is hidden without a session`);
    }
  });

  let pid = 0;
  step('Attach → Local machine → Enter on the highlighted testpmd row opens a live panel', '4-attached', async () => {
    await runCommand(page, 'VNF Lens: Attach to Router Process');
    await quickPick(page, 'Local machine');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Router process on this machine' }).waitFor({ timeout: 30_000 });
    // Our own ps and the browser's helpers are not offered (the Chromium running this test has dozens).
    await input.fill('pid=,user');
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.quick-input-list .monaco-list-row').count(), 0, 'the listing ps is hidden');
    await input.fill('--type=renderer');
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.quick-input-list .monaco-list-row').count(), 0, 'browser helpers are hidden');
    await input.fill('');
    const focused = page.locator('.quick-input-list .monaco-list-row.focused');
    await focused.waitFor({ timeout: 10_000 });
    const row = (await focused.getAttribute('aria-label')) ?? '';
    assert.match(row, /testpmd — pid \d+\b/, `the highlighted row is a router: ${row}`);
    pid = Number(/pid (\d+)\b/.exec(row)![1]);
    await wb.screenshot('first-run-4-picker');
    await page.keyboard.press('Enter');
    const panel = await webviewFrame(page, '.cards .infer-card', 60_000);
    await panel.locator('.meta', { hasText: new RegExp(`pid ${pid}\\b`) }).waitFor({ timeout: 60_000 });
    await panel.locator('.badge[data-status="running"]').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'VNF Lens' }).first().waitFor({ timeout: 20_000 });
  });

  step('a second attach to the same process shows the existing session', '5-duplicate', async () => {
    await focusSideBar();
    await runCommand(page, 'VNF Lens: Attach to Router Process');
    await quickPick(page, 'Local machine');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Router process on this machine' }).waitFor({ timeout: 30_000 });
    const input = page.locator('.quick-input-widget input');
    await input.fill(`pid ${pid}`);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: `pid ${pid}` }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: 'already attached' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'DPDK testpmd' }).count(), 1, 'one panel for the session');
    assert.equal(await page.locator('.pane-body .monaco-list-row', { hasText: 'DPDK testpmd' }).count(), 1, 'one session in the view');
  });

  step('while live: Pause and Stop are offered, Resume is not; after Stop the panel disables Pause', '6-stopped', async () => {
    assert.equal(await paletteOffers('VNF Lens: Pause Session'), true);
    assert.equal(await paletteOffers('VNF Lens: Add Mark…'), true);
    assert.equal(await paletteOffers('VNF Lens: Resume Session'), false);
    await focusSideBar();
    await runCommand(page, 'VNF Lens: Stop Session');
    const panel = await webviewFrame(page, '.cards .infer-card');
    await panel.locator('.badge[data-status="ended"]').waitFor({ timeout: 30_000 });
    assert.equal(await panel.getByRole('button', { name: 'Pause' }).isDisabled(), true);
    assert.equal(await paletteOffers('VNF Lens: Pause Session'), false);
    assert.equal(await paletteOffers('VNF Lens: Stop Session'), false);
    assert.equal(await paletteOffers('VNF Lens: Label Time Range…'), true, 'an ended session can still be labelled');
  });

  step('a VPP replay annotates startup.conf and the CLI script it runs, naming the session', '7-vpp-config', async () => {
    await focusSideBar();
    await runCommand(page, 'VNF Lens: Replay Recording');
    await answerFileDialog(page, join(demo, 'recordings', 'vpp-on-off-5000-64.vnflens'));
    await page.locator('.tabs-container .tab', { hasText: 'vpp-on-off-5000-64' }).waitFor({ timeout: 60_000 });
    await focusSideBar();
    await page.keyboard.press('Control+P');
    await quickPick(page, 'vpp-setup.cli');
    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'vpp-on-off-5000-64.vnflens' }).first();
    await lens.waitFor({ timeout: 60_000 });
  });

  step('the settings read as VNF Lens settings', '8-settings', async () => {
    await runCommand(page, 'Preferences: Open Settings (UI)');
    await page.locator('.settings-editor').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000);
    // The search box has the focus when the editor opens.
    await page.keyboard.type('@ext:vnf-lens.vnf-lens');
    await page.locator('.settings-editor .setting-item-label', { hasText: 'Interval' }).first().waitFor({ timeout: 20_000 });
  });
});
