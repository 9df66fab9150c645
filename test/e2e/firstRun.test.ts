import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { track } from '../support/cleanup.ts';
import { repoRoot } from '../support/paths.ts';
import { freePort } from './support/codeServer.ts';
import { openWorkbench, webviewFrame, type Workbench } from './support/workbench.ts';

/**
 * A new user's first minute, driven as a person does it: `npm start` (scripts/start.sh, as
 * is) with a VS Code profile nobody has used; the workbench opens with the demo README's
 * preview (a webview) in front and focused; then only the keyboard, into whatever has the
 * focus: F1, the command's name typed, Enter, Enter, Enter. No focus moved by hand (no
 * Ctrl+0, no clicks into inputs, no filling of inputs). Screenshots of every step go to
 * test-artifacts/e2e/first-run-*.png.
 */
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');
const demo = join(repoRoot, '.demo-workspace');
const host = hostname();

let start: ChildProcess;
let startLog = '';
let profile: string;
let port = 0;
let wb: Workbench;
let page: Page;
/** When the workbench had loaded (folder listed, extension's view container shown). */
let loadedAt = 0;
let routerPid = 0;
/** The demo router's first process (the one attached to). */
let firstPid = 0;

/** Keys as a person types them, into whatever has the focus. */
async function type(text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 25 });
}

/** The quick input's title, once it shows `title`. */
async function quickInputTitled(title: string | RegExp, timeout = 30_000): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout });
}

/** F1, the command's name, Enter: as a user runs a command, with the focus wherever it is. */
async function palette(title: string, shot?: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await type(title);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 20_000 });
  assert.equal(await input.inputValue(), `>${title}`, 'what was typed went into the palette');
  if (shot) await wb.screenshot(shot);
  await page.keyboard.press('Enter');
}

/** The highlighted row of the open quick pick. */
async function highlighted(): Promise<string> {
  const row = page.locator('.quick-input-list .monaco-list-row.focused');
  await row.waitFor({ timeout: 20_000 });
  return (await row.getAttribute('aria-label')) ?? '';
}

/** The webview frame showing `text` in a `selector` (the walkthrough's step media are webviews too). */
async function frameWith(selector: string, text: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      if (await f.locator(selector, { hasText: text }).count().catch(() => 0)) return f;
    }
    if (Date.now() > deadline) throw new Error(`no frame with ${selector} "${text}" within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
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

/** The files of the extension's log channel (Output → VNF Lens) in the profile. */
function extensionLog(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'VNF Lens.log') out.push(readFileSync(p, 'utf8'));
    }
  };
  const logs = join(profile, 'user', 'logs');
  if (existsSync(logs)) walk(logs);
  return out.join('\n');
}

describe('first run: npm start on a clean profile, driven from the keyboard with the README preview in front', { timeout: 900_000 }, () => {
  before(async () => {
    // A profile nobody has used: not even a settings file.
    profile = mkdtempSync(join(tmpdir(), 'vnf-lens-e2e-profile-'));
    port = await freePort();
    // As a user runs it; `code` is not on this machine's PATH, so code-server it is.
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
    const deadline = Date.now() + 600_000;
    while (!startLog.includes(`http://127.0.0.1:${port}/`)) {
      if (start.exitCode !== null) throw new Error(`npm start exited (${start.exitCode}):\n${startLog}`);
      if (Date.now() > deadline) throw new Error(`npm start printed no URL within 600 s:\n${startLog}`);
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
    // npm start checked the router itself (process, telemetry, packets counted) and says so.
    const m = /demo router: dpdk-testpmd \(pid (\d+)\) between taps .*router alive: pid \1, telemetry at .* answers, port 0 counted \d+ probe packets/.exec(startLog);
    assert.ok(m, `npm start says the demo router is alive:\n${startLog}`);
    routerPid = Number(m[1]);
    firstPid = routerPid;
    wb = await openWorkbench(`http://127.0.0.1:${port}`, demo, artifacts);
    page = wb.page;
    loadedAt = Date.now();
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

  let readme: Frame;
  step('opens on the README preview with the walkthrough beside it, one of them focused, and no trust prompt', '1-readme', async () => {
    await page.locator('.tabs-container .tab', { hasText: 'README.md' }).first().waitFor({ timeout: 30_000 });
    // What a person waits for before pressing a key: the README is there to read.
    readme = await frameWith('h1', 'VNF Lens demo workspace', 60_000);
    await readme.locator('text=tap lab').first().waitFor({ timeout: 10_000 });
    await page.locator('.tabs-container .tab', { hasText: /first minute|Welcome|Walkthrough/ }).first().waitFor({ timeout: 30_000 });
    // The focus is wherever npm start leaves it, and the test moves it nowhere: in a webview
    // (the README preview) or in the walkthrough, whichever of the two opened last.
    const focusIn = await page.waitForFunction(
      () => {
        const el = (globalThis as unknown as { document: { activeElement: { tagName: string; closest(s: string): unknown } | null } }).document.activeElement;
        if (el?.tagName === 'IFRAME') return 'a webview';
        if (el?.closest('.gettingStartedContainer')) return 'the walkthrough';
        return false;
      },
      undefined,
      { timeout: 20_000 },
    );
    process.stdout.write(`# npm start left the focus in ${String(await focusIn.jsonValue())}\n`);
    const dialogs = await page.locator('.monaco-dialog-box').allInnerTexts();
    assert.deepEqual(dialogs.filter((t) => /trust/i.test(t)), [], 'no trust dialog');
    assert.equal(await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).count(), 0, 'not in Restricted Mode');
  });

  step('F1, "VNF Lens: Attach to Router Process", Enter: the host picker, with this machine by its name', '3-host', async () => {
    await palette('VNF Lens: Attach to Router Process', 'first-run-2-palette');
    await quickInputTitled('Attach to a router on');
    // The focus went back to the README preview after the palette closed: the picker stays.
    await page.waitForTimeout(1500);
    await quickInputTitled('Attach to a router on', 1000);
    const row = await highlighted();
    assert.ok(row.includes(host), `the highlighted row is this machine by its name (${host}): ${row}`);
    assert.doesNotMatch(row, /Local machine/);
  });

  step('Enter: the process picker highlights the demo router', '4-process', async () => {
    // With the walkthrough in front, the palette's Enter may also press its step button, which
    // takes the focus back 250 ms later; the flow takes the keyboard back, so Enter reaches it.
    await page.keyboard.press('Enter');
    await quickInputTitled(`Router process on ${host}`);
    const row = await highlighted();
    // Other routers may run on a shared machine: the demo's own comes first, and says so.
    assert.match(row, new RegExp(`testpmd — pid ${routerPid} \\(the demo router\\)`), `the highlighted row is the demo router: ${row}`);
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.ok(!rows.some((r) => /code-server\/out\/node\/entry\.js|chromium|copilot|pid=,user/.test(r)), `no editor, browser or listing process offered: ${rows.filter((r) => /code-server|chromium|copilot|pid=/.test(r)).join(' | ')}`);
  });

  step('Enter: a live panel with the demo router\'s packet rate, within 60 s of the workbench loading', '5-live', async () => {
    await page.keyboard.press('Enter');
    const panel = await webviewFrame(page, '.packet-card', 60_000);
    await panel.locator('.meta', { hasText: new RegExp(`pid ${routerPid}\\b`) }).waitFor({ timeout: 30_000 });
    const rx = panel.locator('.packet-card [data-figure="rx"] .figure-value');
    // The schedule starts idle for 15 s in every 40: a rate above zero comes within one cycle.
    await panel.waitForFunction(
      () => /^[\d.]+ [kM]?pps$/.test(((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.packet-card [data-figure="rx"] .figure-value')?.textContent ?? '').trim()) &&
        !/^0 pps$/.test(((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.packet-card [data-figure="rx"] .figure-value')?.textContent ?? '').trim()),
      undefined,
      { timeout: Math.max(1000, loadedAt + 60_000 - Date.now()) },
    );
    const rate = (await rx.innerText()).trim();
    const took = (Date.now() - loadedAt) / 1000;
    assert.ok(took <= 60, `packet rate ${rate} shown ${took.toFixed(1)} s after the workbench loaded`);
    process.stdout.write(`# live panel showed ${rate} received ${took.toFixed(1)} s after the workbench loaded\n`);
  });

  step('the demo router restarted under the session (`kill PID`, as the demo README says): revision 2, and the A/B card against revision 1 with a verdict', '5b-restart', async () => {
    const panel = await webviewFrame(page, '.packet-card', 10_000);
    // Revision 1 gets some steady traffic first: the schedule's 10 kpps phase lasts 15 s.
    await page.waitForTimeout(12_000);
    const first = routerPid;
    process.kill(first, 'SIGTERM');
    // demo-router.sh starts testpmd again with the same command line; the session follows it.
    await panel.locator('.ab-card h3', { hasText: 'Revision 2 against baseline revision 1' }).waitFor({ timeout: 30_000 });
    // The session may take the new process before demo-router.sh names it: it prints the
    // pid only once testpmd's taps are up, while the session follows the command line.
    const named = Date.now() + 20_000;
    const lastPid = (): number => Number(readFileSync(join(demo, 'lab', 'router.pid'), 'utf8').trim().split('\n').pop());
    while (lastPid() === first) {
      assert.ok(Date.now() < named, `demo-router.sh named no new router process within 20 s of the restart (still pid ${first})`);
      await page.waitForTimeout(250);
    }
    routerPid = lastPid();
    await panel.locator('.meta', { hasText: new RegExp(`pid ${routerPid}\\b`) }).waitFor({ timeout: 15_000 });
    // The restarted router's schedule starts idle (15 s), then 10 kpps, then 60 kpps: a verdict once revision 2
    // has 5 steady intervals at a load revision 1 also had (before that, the card says the loads differ).
    const verdict = panel.locator('.ab-card .ab-verdict');
    const seen: string[] = [];
    const deadline = Date.now() + 120_000;
    const comparable = /^Revision 2 (is (faster|slower) per packet than|does not differ from) revision 1/;
    while (!(await panel.locator('.ab-card[data-state="ready"]').count()) || !comparable.test((await verdict.innerText().catch(() => '')).trim())) {
      const text = (await verdict.innerText().catch(() => '')).trim();
      if (seen[seen.length - 1] !== text) seen.push(text);
      assert.ok(Date.now() < deadline, `the A/B card reached no verdict in 120 s; it said: ${seen.join(' → ')}`);
      await page.waitForTimeout(1000);
    }
    const text = (await verdict.innerText()).trim();
    assert.match(text, comparable, `the verdict: ${text}`);
    const rows = await panel.locator('.ab-card tbody tr').allInnerTexts();
    assert.ok(rows.some((r) => /^Throughput/.test(r)) && rows.some((r) => /per packet/i.test(r)), `throughput and cost per packet rows: ${rows.join(' | ')}`);
    await wb.screenshot('first-run-5c-ab-verdict');
    process.stdout.write(`# after a restart of the demo router, the A/B card: ${text} (before: ${seen.join(' → ')})\n`);
  });

  step('with the live panel (a webview) focused: F1, "VNF Lens: Replay Recording", Enter, a recording of the folder', '6-replay', async () => {
    await palette('VNF Lens: Replay Recording');
    await quickInputTitled('Replay Recording');
    await page.waitForTimeout(1500);
    await type('fastclick-on-off-5000-64');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fastclick-on-off-5000-64.vnflens' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'fastclick-on-off-5000-64' }).waitFor({ timeout: 60_000 });
    const panel = await webviewFrame(page, '.cards .infer-card', 30_000);
    await panel.locator('.badge', { hasText: /replay|ended/i }).first().waitFor({ timeout: 60_000 });
  });

  step('with the replay panel focused: F1, "VNF Lens: Compare Two Runs", the replay against the VPP recording', '7-compare', async () => {
    await palette('VNF Lens: Compare Two Runs');
    await quickInputTitled('run A');
    await page.waitForTimeout(1500);
    await type('fastclick-on-off');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fastclick-on-off-5000-64' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await quickInputTitled('which stretch');
    assert.match(await highlighted(), /^Steady [\d.]+–[\d.]+ s/);
    await page.keyboard.press('Enter');
    await quickInputTitled('run B');
    await type('Choose a recording');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Choose a recording file' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await quickInputTitled('run B');
    // As a person does: read the list of recordings once it is there, then type.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'vpp-on-off-5000-64.vnflens' }).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    await type('vpp-on-off-5000-64');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'vpp-on-off-5000-64.vnflens' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await quickInputTitled('which stretch');
    await page.keyboard.press('Enter');
    const panel = await webviewFrame(page, '.verdict', 60_000);
    assert.match((await panel.locator('.verdict').innerText()).trim(), /B (executes|misses|has)/);
  });

  step('the VNF Lens log has the attach: processes listed, routers recognised, counter source, perf argv', '8-log', async () => {
    let text = '';
    for (let i = 0; i < 40 && !/perf for/.test(text); i++) {
      text = extensionLog();
      await page.waitForTimeout(250);
    }
    assert.match(text, new RegExp(`attach: \\d+ processes listed on ${host}; \\d+ offered, \\d+ left out`));
    assert.match(text, new RegExp(`attach: router DPDK testpmd \\(dpdk\\) pid ${firstPid}; packet counters: dpdk-telemetry`));
    assert.match(text, new RegExp(`attach: picked on ${host}: pid ${firstPid}`));
    assert.match(text, /perf for [^:]+: '[^']*perf' 'stat'/);
    assert.match(text, /router packet counters from/);
    assert.match(text, /demo router: up/);
  });

  step('a second window on the demo: the Sessions view says the demo router is running', '9-welcome', async () => {
    const second = await page.context().browser()!.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await second.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(demo)}`);
      const icon = second.locator('.activitybar .action-item [aria-label^="VNF Lens"]').first();
      await icon.waitFor({ timeout: 90_000 });
      await icon.click();
      const welcome = second.locator('.welcome-view-content');
      await welcome.waitFor({ timeout: 30_000 });
      await second.waitForFunction(() => /demo router is running/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.welcome-view-content')?.textContent ?? ''), undefined, { timeout: 30_000 });
      const text = await welcome.innerText();
      assert.match(text, /The demo router is running: dpdk-testpmd between two tap ports/);
      assert.match(text, /Attach to Router Process/);
      await second.screenshot({ path: join(artifacts, 'first-run-9-welcome-second-window.png') });
    } finally {
      await second.close();
    }
  });

  step('the settings read as VNF Lens settings, with their titles first in each description', '10-settings', async () => {
    await palette('Preferences: Open Settings (UI)');
    await page.locator('.settings-editor').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000);
    // The search box has the focus when the editor opens.
    await type('@ext:vnf-lens.vnf-lens');
    const interval = page.locator('.settings-editor .setting-item', { hasText: 'Interval (ms)' }).first();
    await interval.waitFor({ timeout: 20_000 });
    assert.match(await interval.innerText(), /perf sampling interval/);
  });

  it('Ctrl-C on npm start ends the demo router within 2 s', async () => {
    await wb.close();
    const t0 = Date.now();
    process.kill(-start.pid!, 'SIGINT');
    while (existsSync(`/proc/${routerPid}`) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    const took = (Date.now() - t0) / 1000;
    process.stdout.write(`# demo router gone ${took.toFixed(2)} s after Ctrl-C\n`);
    assert.ok(took <= 2, `the demo router ended ${took.toFixed(2)} s after Ctrl-C`);
    for (let i = 0; i < 40 && start.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!existsSync(`/var/run/dpdk/vnf-lens-demo-${start.pid}`), 'its DPDK runtime folder is removed');
  });
});
