import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CostSampler } from '../../../src/core/cost/costSampler.ts';
import { elementCostView } from '../../../src/core/cost/costView.ts';
import { LocalHost } from '../../../src/core/host/localHost.ts';
import { formatShare } from '../../../src/core/ui/costText.ts';
import type { ElementCostView, SessionInfo, ToWebview } from '../../../src/protocol.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { startCostRouter } from '../../support/costRouter.ts';
import { Browser, bundleBuilt } from './harness.ts';
import { DARK, LIGHT } from './themes.ts';

// The panel's cost card, in headless Chromium with the built bundle, fed a window
// sampled from the real cost router with real perf record.

describe('live panel: cost per element from a sampled router', { skip: missingBinaries('perf', 'g++') }, () => {
  let browser: Browser;
  let cost: ElementCostView;

  before(async () => {
    assert.ok(bundleBuilt(), 'media/dist/live.js is missing: run `npm run build` first');
    const host = new LocalHost({ kind: 'local' });
    await host.connect();
    const router = await startCostRouter();
    try {
      const w = await new CostSampler({ host, pid: router.pid, frequencyHz: 499, windowS: 3, elements: () => router.elements, onWindow: () => {}, onNotice: () => {} }).sampleOnce();
      cost = elementCostView(w, 40_000);
    } finally {
      await router.stop();
      await host.close();
    }
    browser = await Browser.start();
  });

  after(async () => {
    await browser?.close();
  });

  it('one bar per element class, biggest first, with CPU share and time per packet; the shared class marked', async () => {
    for (const theme of [DARK, LIGHT]) {
      const p = await browser.open(theme, 'cost router');
      const session: SessionInfo = { id: 'c', title: 'click-cost-lab', host: 'local', kind: 'live', pids: [1], events: [], intervalMs: 1000, status: 'running' };
      await p.send({ type: 'init', session, model: null, settings: { windowSeconds: 120 }, frames: [] } satisfies ToWebview);
      const card = p.page.locator('.cost-card');
      assert.equal(await card.isVisible(), false, 'hidden until a window is sampled');
      await p.send({ type: 'cost', cost });
      assert.equal(await card.isVisible(), true);
      assert.equal(await card.locator('h3').textContent(), 'Cost per element');
      const labels = await card.locator('.cost-label').allInnerTexts();
      assert.deepEqual(labels.slice(0, 3), ['RadixIPLookup', 'Classifier', 'Counter']);
      const values = await card.locator('.cost-value').allInnerTexts();
      assert.match(values[0]!, new RegExp(`^${formatShare(cost.bars[0]!.share).replace('.', '\\.')} · [\\d.]+ µs/pkt$`));
      assert.equal(await card.locator('.cost-bar[data-label="Counter"]').getAttribute('data-shared'), 'true');
      assert.match(await card.locator('.caption').innerText(), /perf record -e cpu-clock at 499 Hz, 3 s window, \d+ samples/);
      await p.screenshot(`cost-card-${theme.bodyClass}`);
      await p.send({ type: 'cost', cost: null });
      assert.equal(await card.isVisible(), false);
      assert.deepEqual(p.problems(), [], 'no script error, page error or CSP violation');
      await p.close();
    }
  });
});
