import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LiveRevisionAb } from '../../../src/core/compare/liveAb.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { withPacketFeatures } from '../../../src/core/fingerprint/packetMetrics.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { modelView } from '../../../src/core/ui/modelView.ts';
import { batchForPanel } from '../../../src/core/ui/frames.ts';
import type { AbView, Frame, ModelView, SessionInfo, ToWebview } from '../../../src/protocol.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { framesOf } from './frames.ts';
import { Browser, bundleBuilt } from './harness.ts';
import { DARK, LIGHT } from './themes.ts';

// The A/B card of the live panel in headless Chromium, fed by the real core: the OpenNetVM
// bridge run (real perf counters and MoonGen packet counts) cut into two revisions, the
// A/B computed by LiveRevisionAb as the extension does, and posted as the extension posts it.

let browser: Browser;
let model: Model;
let view: ModelView;

/** The run's seconds as one stream, revision 1 up to `cut`, revision 2 after. */
function asRevisions(ivs: Interval[], cut: number): Interval[] {
  return ivs.map((iv, i) => ({ ...iv, stream: 'pid-4242', revision: i < cut ? 1 : 2 }));
}

function abOf(ivs: Interval[], baseline = 1): AbView | null {
  const ab = new LiveRevisionAb();
  for (const iv of ivs) ab.push(iv.stream!, iv.revision!, withPacketFeatures(fingerprint(iv), iv));
  ab.pin('pid-4242', baseline);
  return ab.view();
}

function init(frames: Frame[]): ToWebview {
  const session: SessionInfo = { id: 'ab', title: 'bridge', host: 'local', kind: 'live', pids: [4242], events: [], intervalMs: 1000, status: 'running' };
  return { type: 'init', session, model: view, settings: { windowSeconds: 600 }, frames: batchForPanel(frames) };
}

function framesWithRevisions(ivs: Interval[]): Frame[] {
  // As the session pipeline does: each frame keeps its interval's revision.
  return framesOf(ivs, model, 'pid-4242').frames.map((f, i) => ({ ...f, revision: ivs[i]!.revision! }));
}

describe('live panel: the revision A/B card', () => {
  let seconds: Interval[];

  before(async () => {
    assert.ok(bundleBuilt(), 'media/dist/live.js is missing: run `npm run build` first');
    model = await loadDefaultModel();
    view = modelView(model);
    seconds = (await bridgeWithPackets('exp-2')).map((s) => s.iv);
    browser = await Browser.start();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the current revision beside the pinned baseline, each change with its interval, the verdict, and the restart on the charts', async () => {
    const ivs = asRevisions(seconds, Math.floor(seconds.length / 2));
    const ab = abOf(ivs);
    assert.ok(ab && !ab.waiting, `the core gives an A/B: ${JSON.stringify(ab)}`);
    for (const theme of [DARK, LIGHT]) {
      const p = await browser.open(theme, 'bridge, two revisions');
      await p.send(init(framesWithRevisions(ivs)));
      const card = p.page.locator('.ab-card');
      assert.equal(await card.isVisible(), false, 'no card before a baseline is pinned');
      await p.send({ type: 'ab', ab });
      assert.equal(await card.isVisible(), true);
      assert.equal(await card.locator('h3').textContent(), 'Revision 2 against baseline revision 1 (pid-4242)');
      assert.equal(await card.locator('.ab-verdict').innerText(), `${ab.verdict}.`);
      assert.match(ab.verdict, /^Revision 2 (is (faster|slower) per packet than|does not differ from) revision 1 .*cycles per packet\)$/);
      const rows = await card.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
      assert.deepEqual(
        rows,
        ab.figures.map((f) => [f.label, f.baseline, f.current, f.change]),
      );
      assert.deepEqual(
        rows.map((r) => r[0]),
        ['Throughput (received)', 'Drop ratio', 'Cycles per packet', 'Instructions per packet', 'CPU-ns per packet'],
      );
      // A drop ratio changes in percentage points; the others relatively.
      for (const r of rows) assert.match(r[3]!, r[0] === 'Drop ratio' ? /^[+−]\d+\.\d{3} pts ± \d+\.\d{3} pts/ : /^[+−]\d+\.\d % ± \d+\.\d %/);
      // exp-2 steps its offered rate: the halves were offered different loads, and the card says so.
      const warnings = await card.locator('.ab-warning').allInnerTexts();
      assert.deepEqual(warnings, ab.warnings);
      assert.ok(
        warnings.some((w) => /^Revisions 1 and 2 were offered different loads/.test(w)),
        warnings.join('\n'),
      );
      const markers = await p.hook((h) => h.markers().map((m) => m.label));
      assert.ok(markers.includes('revision 2'), `the restart is marked on the charts: ${markers.join(', ')}`);
      const cardTop = (await card.boundingBox())!.y;
      const packetsTop = (await p.page.locator('.packet-row').boundingBox())!.y;
      assert.ok(cardTop < packetsTop, 'the A/B leads the panel');
      await p.screenshot(`ab-card-${theme.bodyClass}`);
      assert.deepEqual(p.problems(), []);
      await p.close();
    }
  });

  it('says what it waits for while the new revision has too few intervals with traffic, and hides when unpinned', async () => {
    const ivs = asRevisions(seconds.slice(0, 40), 37);
    const ab = abOf(ivs);
    assert.ok(ab?.waiting, JSON.stringify(ab));
    const p = await browser.open(DARK, 'bridge, a new revision');
    await p.send(init(framesWithRevisions(ivs)));
    await p.send({ type: 'ab', ab });
    const card = p.page.locator('.ab-card');
    assert.equal(await card.getAttribute('data-state'), 'waiting');
    assert.equal(await card.locator('.ab-verdict').innerText(), `Waiting: ${ab.waiting}.`);
    assert.match(ab.waiting, /^revision 2 has 3 intervals with traffic; the A\/B needs 5$/);
    assert.equal(await card.locator('tbody tr').count(), 0);
    await p.send({ type: 'ab', ab: null });
    assert.equal(await card.isVisible(), false);
    assert.deepEqual(p.problems(), []);
    await p.close();
  });
});
