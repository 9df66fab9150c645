import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteWriter } from '../../../src/core/perf/byteWriter.ts';

function text(write: (w: ByteWriter) => void, size = 1 << 20): string {
  const parts: Buffer[] = [];
  const w = new ByteWriter((b) => parts.push(b), size);
  write(w);
  w.flush();
  return Buffer.concat(parts).toString('utf8');
}

describe('ByteWriter', () => {
  it('writes strings as JSON.stringify does, escapes and UTF-8 included', () => {
    const strings = ['', 'processing', 'no match: the closest scenario, ovs:10000-512, is at similarity 0.00', 'a "quoted" \\ back', 'line\nbreak\ttab\u0001\u001f', 'ünïcödé ✓ 😀', 'lone \ud800 surrogate', 'del \u007f'];
    for (const size of [1 << 20, 8]) {
      assert.equal(
        text((w) => strings.forEach((s) => w.jsonString(s)), size),
        strings.map((s) => JSON.stringify(s)).join(''),
      );
    }
  });

  it('keeps what is stored through reserve() up to commit(), across full buffers', () => {
    const out = text((w) => {
      for (let i = 0; i < 100; i++) {
        const view = w.reserve(8);
        const at = w.length;
        view.setUint32(at, 0x64636261, true); // "abcd"
        view.setUint32(at + 4, 0x7a7a7a7a, true); // past the end: dropped
        w.commit(at + 4);
      }
    }, 10);
    assert.equal(out, 'abcd'.repeat(100));
  });
});
