import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDemoStatus } from '../../../src/core/live/demoStatus.ts';

test("the demo status file: up while the router's process lives, failed with the reason once it is gone", () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnflens-demo-status-'));
  try {
    const f = join(dir, 'demo.json');
    assert.equal(readDemoStatus(f), undefined, 'no file: not the demo workspace');
    writeFileSync(f, JSON.stringify({ router: 'up', detail: 'dpdk-testpmd between taps', pid: process.pid }));
    assert.deepEqual(readDemoStatus(f), { router: 'up', pid: process.pid, detail: 'dpdk-testpmd between taps' });
    const gone = readDemoStatus(f, () => false)!;
    assert.equal(gone.router, 'failed');
    assert.match(gone.detail, new RegExp(`pid ${process.pid}\\) has stopped`));
    writeFileSync(f, JSON.stringify({ router: 'not-root', detail: 'taps need root' }));
    assert.equal(readDemoStatus(f)!.router, 'not-root');
    writeFileSync(f, '{not json');
    assert.match(readDemoStatus(f)!.detail, /is not JSON/);
    writeFileSync(f, JSON.stringify({ router: 'exploded' }));
    assert.match(readDemoStatus(f)!.detail, /names no known router state/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
