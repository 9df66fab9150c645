import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { csvField, ManifestError, parseManifest, splitCsvLine } from '../../../src/core/calibration/manifest.ts';

const HEADER = 'file,from,to,state,loss,scenario';

describe('calibration manifest', () => {
  it('reads rows with run selectors, open ranges and quoted labels', () => {
    const text = `${HEADER}\non-off/fastclick.csv#5000-64,,15.5,idle,,\n\n/abs/run.vnflens,20.5,29,processing,lossy,"fast, 64B"\n`;
    const [a, b] = parseManifest(text, 'm.csv', '/data');
    assert.deepEqual(a, { line: 2, file: 'on-off/fastclick.csv#5000-64', path: '/data/on-off/fastclick.csv', select: '5000-64', to: 15.5, state: 'idle' });
    assert.deepEqual(b, { line: 4, file: '/abs/run.vnflens', path: '/abs/run.vnflens', from: 20.5, to: 29, state: 'processing', loss: 'lossy', scenario: 'fast, 64B' });
  });

  it('lists every bad row with its line number', () => {
    const text = [HEADER, 'a.csv,1,2,busy,,', 'b.csv,x,,,,', 'c.csv,5,3,,,', 'd.csv,,,,dropped,', 'e.csv,1,2', ',1,2,idle,,', 'ok.csv,,,idle,,'].join('\n');
    assert.throws(
      () => parseManifest(text, 'm.csv', '/d'),
      (e: Error) =>
        e instanceof ManifestError &&
        e.message.includes('6 bad rows') &&
        e.message.includes('line 2: "state" must be idle, processing or empty, not "busy"') &&
        e.message.includes('line 3: "from" must be a number') &&
        e.message.includes('line 4: "from" (5) is after "to" (3)') &&
        e.message.includes('line 5: "loss" must be lossy, clean or empty') &&
        e.message.includes('line 6: expected 6 fields') &&
        e.message.includes('line 7: "file" is empty'),
    );
  });

  it('accepts the optional pps column, empty or a packet rate, and says what is wrong with a bad one', () => {
    const text = `${HEADER},pps\non-off/vpp.csv#5000-64,20.5,,processing,,,7440476\non-off/vpp.csv#5000-64,,15.5,idle,,,\n`;
    const [a, b] = parseManifest(text, 'm.csv', '/data');
    assert.equal(a!.pps, 7440476);
    assert.equal(b!.pps, undefined);
    assert.throws(() => parseManifest(`${HEADER},pps\na.csv,,,,,,-3\nb.csv,,,,,,fast\nc.csv,,,,\nd.csv,,,idle,,\n`, 'm.csv', '/d'), (e: Error) =>
      e.message.includes('line 2: "pps" must be a number of packets per second (0 or more) or empty, not "-3"') &&
      e.message.includes('line 3: "pps" must be a number') &&
      e.message.includes('line 4: expected 7 fields (file,from,to,state,loss,scenario,pps), found 5') &&
      e.message.includes('3 bad rows'));
  });

  it('insists on the header', () => {
    assert.throws(() => parseManifest('file,state\nx,idle\n', 'm.csv', '/d'), /m\.csv line 1: the header must be "file,from,to,state,loss,scenario" or "file,from,to,state,loss,scenario,pps"/);
    assert.throws(() => parseManifest('\n\n', 'm.csv', '/d'), /is empty/);
  });

  it('quotes fields so that they read back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', ' ', 'x', '#', '-') }), { minLength: 1, maxLength: 6 }), (fields) => {
        assert.deepEqual(splitCsvLine(fields.map(csvField).join(',')), fields);
      }),
    );
  });
});
