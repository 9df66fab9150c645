import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { runAllCleanups } from '../support/cleanup.ts';
import { repoRoot } from '../support/paths.ts';
import { HOSTS, startSshd, type SshdFixture } from '../support/sshd.ts';
import { startTestpmd, type Testpmd } from '../support/testpmd.ts';
import { startCodeServer, type CodeServer } from './support/codeServer.ts';
import { answerFileDialog, errorNotifications, openWorkbench, quickPick, runCommand, webviewFrame, type Workbench } from './support/workbench.ts';

/**
 * VNF Lens in a real VS Code (code-server) driven through headless Chromium with the
 * keyboard and mouse, on the demo workspace, against a real sshd and a real
 * poll-mode router (dpdk-testpmd). Screenshots of every step go to test-artifacts/e2e.
 */
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');
const vsix = join(repoRoot, 'dist', 'vnf-lens.vsix');

let ws: string;
let sshd: SshdFixture;
let testpmd: Testpmd;
let server: CodeServer;
let wb: Workbench;
let page: Page;

type PanelHook = {
  streams(): { name: string; size: number; markers: { t: number; from?: string; to?: string }[] }[];
  charts: Record<string, { data: { datasets: { label?: string; data: unknown[] }[] } }>;
};

// Functions passed to frame.evaluate run in the panel's window, which carries the panel's test hook.
declare const window: { __vnfLensPanel?: PanelHook };
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };

async function cardValue(frame: Frame, n: number): Promise<string> {
  return (await frame.locator(`.cards .infer-card:nth-child(${n}) .card-value`).innerText()).trim();
}

async function closeEditors(): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(500);
}

async function noDialogErrors(): Promise<string[]> {
  const modal = await page.locator('.monaco-dialog-box').allInnerTexts();
  return [...(await errorNotifications(page)), ...modal];
}

/** A step of the user's walk; on failure the screen is saved for the artifacts. */
function step(name: string, shot: string, fn: () => Promise<void>): void {
  it(name, async () => {
    try {
      await fn();
    } catch (e) {
      await wb?.screenshot(`${shot}-FAILED`).catch(() => undefined);
      throw e;
    }
  });
}

describe('VNF Lens in VS Code', { timeout: 900_000 }, () => {
  before(async () => {
    if (!existsSync(vsix)) execFileSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
    ws = mkdtempSync(join(tmpdir(), 'vnf-lens-e2e-ws-'));
    cpSync(join(repoRoot, 'scripts', 'demo', 'workspace'), ws, { recursive: true });
    execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'demo', 'makeRecordings.ts'), join(ws, 'recordings')], { cwd: repoRoot, stdio: 'inherit' });
    sshd = await startSshd();
    testpmd = await startTestpmd();
    server = await startCodeServer({
      vsix,
      settings: { 'vnfLens.sshConfigFile': sshd.clientConfig, 'vnfLens.replaySpeed': 0, 'vnfLens.intervalMs': 500, 'vnfLens.recordingsFolder': join(ws, 'live-recordings') },
    });
    wb = await openWorkbench(server.url, ws, artifacts);
    page = wb.page;
    await wb.screenshot('0-workbench');
  });

  after(async () => {
    await wb?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await testpmd?.stop().catch(() => undefined);
    await sshd?.stop().catch(() => undefined);
    runAllCleanups();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  step('replays an on-off recording: the state goes from idle to processing and a scenario is named', '1-replay', async () => {
    await runCommand(page, 'VNF Lens: Replay Recording');
    // The folder's recordings are offered in a quick pick.
    await quickPick(page, 'fastclick-on-off-5000-64.vnflens');
    const panel = await webviewFrame(page, '.cards .infer-card');
    await panel.waitForFunction(() => (window.__vnfLensPanel?.streams()[0]?.size ?? 0) >= 29, undefined, { timeout: 60_000 });
    assert.match(await cardValue(panel, 1), /processing/i);
    const markers = await panel.evaluate(() => window.__vnfLensPanel!.streams()[0]!.markers);
    const change = markers.find((m) => m.to === 'processing');
    assert.ok(change, `a state change to processing is marked on the time axis: ${JSON.stringify(markers)}`);
    assert.ok(change.t > 14 && change.t < 21, `the change is at the traffic start (t=${change.t})`);
    assert.match(await cardValue(panel, 3), /5000-64/);
    await wb.screenshot('1-replay');
  });

  step('annotates the FastClick config at its device elements, with a hover', '2-click-config', async () => {
    await page.keyboard.press('Control+P');
    await quickPick(page, 'router.click');
    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'processing' }).first();
    await lens.waitFor({ timeout: 30_000 });
    assert.ok((await page.locator('.monaco-editor .codelens-decoration', { hasText: 'processing' }).count()) >= 4, 'one lens per device element');
    const device = page.locator('.monaco-editor .view-line', { hasText: 'in0  :: FromDPDKDevice' }).first();
    await device.hover({ position: { x: 60, y: 5 } });
    const hover = page.locator('.monaco-hover', { hasText: 'VNF Lens' }).first();
    await hover.waitFor({ timeout: 15_000 });
    assert.match(await hover.innerText(), /state: processing/);
    await wb.screenshot('2-click-config');
    await page.keyboard.press('Escape');
    await closeEditors();
  });

  step('compares an open session with a file, a steady processing stretch of each; the table fits the panel', '3-compare', async () => {
    await runCommand(page, 'VNF Lens: Compare Two Runs');
    // A: the replay still open from the first step; B: a file.
    await quickPick(page, 'fastclick-on-off-5000-64.vnflens');
    const stretch = async () => {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'which stretch' }).waitFor({ timeout: 30_000 });
      const first = page.locator('.quick-input-list .monaco-list-row.focused');
      await first.waitFor({ timeout: 10_000 });
      const text = (await first.getAttribute('aria-label')) ?? '';
      // The on-off runs are idle, then forwarding: the forwarding stretch is offered first.
      assert.match(text, /^Steady [\d.]+–[\d.]+ s, \d+ intervals · processing/, text);
      await wb.screenshot('3-compare-range');
      await page.keyboard.press('Enter');
    };
    await stretch();
    await quickPick(page, 'Choose a recording file');
    await quickPick(page, 'vpp-on-off-5000-64.vnflens');
    await stretch();
    const panel = await webviewFrame(page, '.verdict', 60_000);
    const verdict = (await panel.locator('.verdict').innerText()).trim();
    assert.match(verdict, /B (executes|misses|has)/, verdict);
    const fit = await panel.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
    assert.ok(fit.page <= fit.view + 1, `the report fits the panel: ${fit.page} px wide in ${fit.view} px`);
    await wb.screenshot('3-compare');
    const out = join(ws, 'comparison.md');
    await runCommand(page, 'VNF Lens: Export Report');
    await quickPick(page, 'Markdown');
    await answerFileDialog(page, out);
    for (let i = 0; i < 40 && !existsSync(out); i++) await page.waitForTimeout(250);
    const md = readFileSync(out, 'utf8');
    assert.ok(md.includes(verdict.split(' ').slice(0, 6).join(' ')), 'the report carries the verdict');
    await closeEditors();
  });

  step('attaches over SSH to the real dpdk-testpmd and shows live intervals', '4-attach-ssh', async () => {
    await runCommand(page, 'VNF Lens: Attach to Router Process');
    await quickPick(page, HOSTS.lab);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(`pid ${testpmd.pid}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: `pid ${testpmd.pid}` }).first();
    await row.waitFor({ timeout: 30_000 });
    // A multi-select list (a service chain may be several processes): tick the row, then OK.
    await row.click();
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    const panel = await webviewFrame(page, '.cards .infer-card', 60_000);
    await panel.waitForFunction(() => (window.__vnfLensPanel?.streams()[0]?.size ?? 0) >= 3, undefined, { timeout: 60_000 });
    const taskClock = await panel.evaluate(() => {
      const os = window.__vnfLensPanel!.charts['os']!;
      const ds = os.data.datasets.find((d) => (d.label ?? '').startsWith('task-clock'))!;
      return ds.data.map((p) => (typeof p === 'object' && p !== null ? (p as { y: number }).y : Number(p)));
    });
    // testpmd busy-polls: up to 1000 ms of CPU per second, less on a loaded 2-core machine; an idle process counts ~0.
    assert.ok(taskClock.some((v) => v > 50), `task-clock rates ${JSON.stringify(taskClock)}`);
    assert.notEqual(await cardValue(panel, 1), '–', 'the state card has an answer');
    await wb.screenshot('4-attach-ssh');
    await runCommand(page, 'VNF Lens: Stop Session');
  });

  it('raised no CSP violation and no error notification', async () => {
    assert.deepEqual(wb.consoleProblems, []);
    assert.deepEqual(await noDialogErrors(), []);
  });
});
