/**
 * The CSV fast path against the general CSV reader, line by line: on every line it
 * accepts, it must read what readCsvLine reads. Lines are perf's own layouts and
 * field-level variants of them (exponents, long counts, signs, markers, variance,
 * cgroups, missing and extra fields), with and without the expected event name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NO, ScratchReading, YES_EXPECTED, readCsvBytes } from '../../../src/core/perf/csvFastPath.ts';
import { readCsvLine } from '../../../src/core/perf/csvLine.ts';

/** Both readers on one line; the fast path may decline, but never disagree. */
function agree(line: string, sep: string, expect?: string): number {
  const b = Buffer.from(`xx${line}yy`); // in place, inside a larger buffer
  const r = new ScratchReading();
  const got = readCsvBytes(b, 2, b.length - 2, sep.charCodeAt(0), r, expect === undefined ? undefined : Buffer.from(expect));
  if (got === NO) return got;
  const general = readCsvLine(line, sep);
  assert.equal(general.kind, 'reading', `fast path took ${JSON.stringify(line)}, the general reader did not`);
  const g = (general as { reading: import('../../../src/core/perf/reading.ts').Reading }).reading;
  const event = got === YES_EXPECTED ? expect : r.event;
  const fast = { t: r.t, value: r.status === 'counted' ? r.value : null, status: r.status, unit: r.unit, event, running: r.running };
  const slow = { t: g.t, value: g.value, status: g.status, unit: g.unit, event: g.event, running: g.running };
  assert.deepEqual(fast, slow, JSON.stringify(line));
  assert.equal(g.prefix, undefined, JSON.stringify(line));
  assert.equal(g.cgroup, undefined, JSON.stringify(line));
  return got;
}

/** Lines as perf prints them: the fast path must take these. */
const PERF = [
  '     1.001384374,15064353371,,instructions,219539154,10.96,2.48,insn per cycle',
  '     1.001384374,2001.895738,msec,cpu-clock,2001896632,100.00,2.002,CPUs utilized',
  '     1.001384374,102301,,L1-icache-load-misses,160993884,8.04,,',
  '      0.100000000,1036036703,,instructions,0.00%,13328490,12.42,3.26,insn per cycle',
  '     1.000694561,<not counted>,,cycles,0,0.00,,',
  '     1.000694561,<not supported>,,cache-misses,0,100.00,,',
  '1.5,7,,page-faults',
  '1.5,7,,cpu_core/cycles/,123,45.5',
];

/** Lines cut short or padded. */
const PLAIN = [
  ...PERF,
  '1.5,7,,page-faults,',
  '1.5,7,,page-faults,,',
  '1.5,7,,page-faults,123',
  '1.5,7,,page-faults,123,',
  '1.5,7,,page-faults,123,45.5',
];

/** Variants of one field of a plain line. */
const FIELD_VARIANTS = [
  '', '0', '-0', '-1', '1.', '.5', '1.2.3', '1e3', '1E-2', '+5', '12345678901234567', '123456789012345678901', '0.000000001',
  '18446744073709551615', '18446744073709551616', '1,234', '<not counted>', '<not supported>', '<other>', 'CPU0', 'S0-D0-C0',
  'msec', 'cycles', 'cpu/event=0x3c/', 'cpu/event=0x3c', '0.00%', '5%', '5.%', '.5%', '.%', '-1.5%', '+1%', '1.2.3%', '1e2%', '%', 'abc%', 'grp', '100.00', '101', 'nan', 'Infinity', ' 1.5',
];

describe('CSV fast path, line by line', () => {
  it('reads perf lines as the general reader does, with and without the expected name', () => {
    for (const line of PLAIN) {
      const event = line.split(',')[3]!;
      const taken = PERF.includes(line);
      if (taken && !event.includes('/')) assert.notEqual(agree(line, ','), NO, line);
      if (taken) assert.equal(agree(line, ',', event), YES_EXPECTED, line);
      agree(line, ',', event + 'x');
      agree(line, ',', event.slice(0, -1));
      agree(line.replaceAll(',', ';'), ';', event);
    }
  });

  it('never disagrees when one field is replaced', () => {
    let taken = 0;
    for (const line of PLAIN) {
      const fields = line.split(',');
      for (let i = 0; i < fields.length + 1; i++) {
        for (const v of FIELD_VARIANTS) {
          const f = fields.slice();
          f[i] = v;
          for (const expect of [undefined, fields[3]!, v]) if (agree(f.join(','), ',', expect) !== NO) taken++;
        }
      }
    }
    assert.ok(taken > 500, `${taken} variants taken by the fast path`);
  });

  it('never disagrees on generated lines', () => {
    const field = fc.oneof(fc.constantFrom(...FIELD_VARIANTS), fc.stringMatching(/^[-0-9.e%a-z<> /]{0,12}$/));
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 9 }), fc.option(field, { nil: undefined }), (fields, expect) => {
        agree(fields.join(','), ',', expect);
      }),
      { seed: 20261130, numRuns: 20000 },
    );
  });
});
