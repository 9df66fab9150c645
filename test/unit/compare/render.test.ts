import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRuns } from '../../../src/core/compare/compareRuns.ts';
import { renderHtml } from '../../../src/core/compare/render/html.ts';
import { renderJson } from '../../../src/core/compare/render/json.ts';
import { renderMarkdown } from '../../../src/core/compare/render/markdown.ts';
import { formatValue, formatWithUnit } from '../../../src/core/compare/render/format.ts';
import type { Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';

/** Twelve 1 s intervals with a small deterministic wobble; `scale` multiplies the instruction rate. */
function run(scale: number, faults: number): Fingerprint[] {
  return Array.from({ length: 12 }, (_, i) => {
    const w = 1 + 0.002 * Math.sin(i * 1.7);
    const instructions = 5e9 * scale * w;
    const cycles = 2.6e9 * (1 + 0.001 * Math.cos(i * 2.3));
    return { t: i + 1, dt: 1, rates: { instructions, cycles, 'page-faults': faults, 'task-clock': 1000 }, running: { instructions: 100 }, derived: { ipc: instructions / cycles }, missing: [] };
  });
}

describe('report rendering', () => {
  const r = compareRuns({ label: 'build <a> | old', fingerprints: run(1, 0) }, { label: 'build "b"', fingerprints: run(0.8, 3) });

  it('finds the planted differences', () => {
    assert.deepEqual(r.highlights, ['instructions', 'page-faults']);
    assert.equal(r.verdict, 'Compared with A, B executes 20% fewer instructions per second and counts page-faults where A counts none (3 of 5 features differ significantly).');
  });

  it('Markdown: one table row per feature, labels escaped', () => {
    const md = renderMarkdown(r);
    assert.match(md, /^# A\/B comparison: build <a> \\\| old vs build "b"/);
    const rows = md.split('\n').filter((l) => /^\| (\*\*)?[a-z]/.test(l) && !l.startsWith('| Source'));
    assert.deepEqual(
      rows.map((l) => l.split('|')[1]!.trim().replace(/\*/g, '')),
      ['instructions', 'page-faults', 'ipc', 'cycles', 'task-clock'],
    );
    assert.match(md, /\| \*\*instructions\*\* \| 5 G\/s \[/);
    assert.match(md, /\| task-clock \| 1000 ms\/s \[1000 ms\/s, 1000 ms\/s\]/);
  });

  it('HTML: escapes labels and stays self-contained', () => {
    const html = renderHtml(r);
    assert.ok(html.includes('build &lt;a&gt; | old'));
    assert.ok(!html.includes('<a>'));
    assert.doesNotMatch(html, /https?:|<script|<link|<img|url\(/i);
  });

  it('JSON: infinities become null, everything else is a number', () => {
    const j = JSON.parse(renderJson(r));
    const pf = j.features.find((f: { feature: string }) => f.feature === 'page-faults');
    assert.equal(pf.ratio, null);
    assert.equal(pf.relativeDifference, null);
    assert.equal(pf.b.mean, 3);
    assert.equal(j.series[0].feature, 'instructions');
  });

  it('formats values with SI prefixes and units', () => {
    assert.equal(formatValue(5.884e9), '5.88 G');
    assert.equal(formatValue(1935), '1.94 k');
    assert.equal(formatValue(0.004999), '0.005');
    assert.equal(formatValue(4.92e-7), '4.92e-7');
    assert.equal(formatValue(-2.5), '−2.5');
    assert.equal(formatWithUnit(999.99, 'ms/s'), '1000 ms/s');
    assert.equal(formatWithUnit(355.5, '/s'), '356/s');
  });
});
