/**
 * Builds the demo workspace's recordings from the reference data beside the clone
 * (../shared/datasets): the on-off runs of FastClick and VPP (the paper's wide CSV, one
 * run each, written back out as `perf stat -x, -I 1000` lines) and the OpenNetVM
 * bridge run (perf's text kept verbatim). Usage: makeRecordings.ts OUT_DIR
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Interval } from '../../src/core/perf/interval.ts';
import type { ProcessInfo } from '../../src/core/recording/format.ts';
import { RecordingWriter } from '../../src/core/recording/writer.ts';
import { readAllIntervals } from '../../src/core/source/readIntervals.ts';

const datasets = resolve(process.cwd(), '../shared/datasets');

function perfLines(iv: Interval): string {
  const t = iv.t.toFixed(9).padStart(17);
  const runtime = Math.round(iv.dt * 1e9);
  return Object.entries(iv.counters)
    .map(([event, value]) => `${t},${event.endsWith('clock') ? value.toFixed(6) : value},${event.endsWith('clock') ? 'msec' : ''},${event},${runtime},100.00,,\n`)
    .join('');
}

async function fromWideCsv(out: string, file: string, run: string, proc: ProcessInfo): Promise<void> {
  const ivs = (await readAllIntervals(join(datasets, 'itc21/on-off', file))).filter((iv) => iv.run === run);
  const w = RecordingWriter.create(out, {
    host: 'itc21-lab (reference data)',
    processes: [proc],
    events: Object.keys(ivs[0]!.counters),
    intervalMs: 1000,
    startedAt: '2021-01-01T00:00:00.000Z',
    separator: ',',
    tags: { source: `itc21/on-off/${file}#${run}`, note: 'converted from the ITC 2021 wide CSV', traffic: run },
  });
  w.mark({ t: 15, text: 'traffic generator starts (rows 15-19 are the transition)' });
  for (const iv of ivs) w.perfText('pid-' + proc.pid, perfLines(iv));
  w.end({ at: '2021-01-01T00:00:29.000Z', reason: 'end of the on-off run' });
  w.close();
}

async function main(outDir: string): Promise<void> {
  if (!existsSync(datasets)) {
    console.error(`demo: no reference data at ${datasets}; the demo workspace gets no recordings (the live router still works)`);
    return;
  }
  mkdirSync(outDir, { recursive: true });
  const click: ProcessInfo = { pid: 4242, comm: 'click', cmdline: 'click --dpdk -l 0-1 -n 4 -- router.click' };
  const vpp: ProcessInfo = { pid: 5151, comm: 'vpp_main', cmdline: '/usr/bin/vpp -c startup.conf' };
  const jobs: [string, () => Promise<void>][] = [
    ['fastclick-on-off-5000-64.vnflens', () => fromWideCsv(join(outDir, 'fastclick-on-off-5000-64.vnflens'), 'fastclick.csv', '5000-64', click)],
    ['fastclick-on-off-10000-64.vnflens', () => fromWideCsv(join(outDir, 'fastclick-on-off-10000-64.vnflens'), 'fastclick.csv', '10000-64', click)],
    ['vpp-on-off-5000-64.vnflens', () => fromWideCsv(join(outDir, 'vpp-on-off-5000-64.vnflens'), 'vpp.csv', '5000-64', vpp)],
    [
      'opennetvm-bridge-128B.vnflens',
      async () => {
        const w = RecordingWriter.create(join(outDir, 'opennetvm-bridge-128B.vnflens'), {
          host: 'opennetvm-lab (reference data)',
          processes: [{ pid: 7777, comm: 'bridge', cmdline: 'bridge -l 6 -n 4 --proc-type=secondary -- -r 1' }],
          events: [],
          intervalMs: 1000,
          startedAt: '2023-05-14T11:39:36.000Z',
          separator: ',',
          tags: { source: 'opennetvm-bridge/128B/bridge.csv', traffic: '128-byte packets, rate changed every 10 s' },
        });
        w.perfText('pid-7777', readFileSync(join(datasets, 'opennetvm-bridge/128B/bridge.csv'), 'utf8'));
        w.end({ at: '2023-05-14T11:43:05.000Z', reason: 'end of run' });
        w.close();
      },
    ],
  ];
  for (const [name, job] of jobs) {
    rmSync(join(outDir, name), { force: true });
    await job();
  }
  console.error(`demo: ${jobs.length} recordings in ${outDir}`);
}

void main(resolve(process.argv[2] ?? '.demo-workspace/recordings'));
