import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseClickConfig } from '../../core/config/click/clickParser.ts';
import { clickElementsForCost } from '../../core/cost/configElements.ts';
import { CostSampler, DEFAULT_BUDGET, type CostWindow } from '../../core/cost/costSampler.ts';
import type { ConfigElement } from '../../core/cost/elementCost.ts';
import { DEFAULT_FREQUENCY_HZ, DEFAULT_WINDOW_S } from '../../core/cost/perfRecordCommand.ts';
import { LiveError } from '../../core/host/errors.ts';
import { openHost } from '../../core/host/openHost.ts';
import { CliError, UsageError } from '../errors.ts';
import { Output } from '../output.ts';
import { HOST_OPTIONS, asUsage, hostTarget } from '../hostOptions.ts';

export const costHelp = `vnf-lens cost (--local | --ssh HOST) [--ssh-config FILE] --pid PID [--config FILE.click]
              [--window S] [--frequency HZ] [--windows N] [--format table|json]

Where a router's CPU goes: samples the process with 'perf record -e cpu-clock' (a
software clock: no hardware PMU needed) in windows, on its host, and attributes each
sample to the innermost frame whose C++ class is an element class of the Click config
(several elements of one class share its cost, and are named so). Without --config,
or for samples outside the elements, the CPU is split by class and by library. A
stripped binary is named as such. perf's own CPU is measured in every window.

  --local              the router runs on this machine
  --ssh HOST           a host of your ssh config, or [user@]host[:port]
  --ssh-config FILE    ssh config file to use instead of ~/.ssh/config
  --pid PID            the router process
  --config FILE        its FastClick/Click config (read here, on this machine)
  --window S           seconds per window (default ${DEFAULT_WINDOW_S})
  --frequency HZ       samples per second (default ${DEFAULT_FREQUENCY_HZ})
  --windows N          windows to sample (default 1); between windows perf's CPU
                       is kept under ${(DEFAULT_BUDGET * 100).toFixed(0)} % of one CPU
  --format table|json  table (default) for people, json (one line per window) for programs
`;

export async function costCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...HOST_OPTIONS,
      pid: { type: 'string' },
      config: { type: 'string' },
      window: { type: 'string' },
      frequency: { type: 'string' },
      windows: { type: 'string', default: '1' },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(costHelp);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`cost takes no arguments (got ${JSON.stringify(positionals[0])}); see vnf-lens cost --help`);
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, not ${JSON.stringify(values.format)}`);
  const pid = positiveInt(values.pid, '--pid');
  const windows = positiveInt(values.windows, '--windows');
  const target = hostTarget(values);
  const elements = values.config !== undefined ? await readElements(values.config) : [];
  const host = await openHost(target).catch((e: unknown) => {
    throw e instanceof LiveError ? new CliError(e.message) : e;
  });
  const out = new Output();
  try {
    const done: CostWindow[] = [];
    let failure: string | undefined;
    const sampler = asUsage(
      () =>
        new CostSampler({
          host,
          pid,
          ...(values.window !== undefined ? { windowS: positiveNumber(values.window, '--window') } : {}),
          ...(values.frequency !== undefined ? { frequencyHz: positiveNumber(values.frequency, '--frequency') } : {}),
          elements: () => elements,
          onWindow: (w) => {
            done.push(w);
            if (values.format === 'json') out.line(JSON.stringify(w));
            else for (const l of windowTable(w, done.length, windows)) out.line(l);
            if (done.length >= windows) void sampler.stop();
          },
          onNotice: (m) => (failure = m),
        }),
    );
    const stop = () => void sampler.stop();
    process.once('SIGINT', stop);
    try {
      if (windows === 1) {
        const w = await sampler.sampleOnce().catch((e: unknown) => {
          throw e instanceof LiveError ? new CliError(e.message) : e;
        });
        if (values.format === 'json') out.line(JSON.stringify(w));
        else for (const l of windowTable(w, 1, 1)) out.line(l);
      } else {
        sampler.start();
        while (sampler.running) await new Promise((r) => setTimeout(r, 100));
        await sampler.stop();
        if (failure !== undefined) throw new CliError(failure);
      }
    } finally {
      process.removeListener('SIGINT', stop);
    }
  } finally {
    await out.flush();
    await host.close();
  }
}

async function readElements(path: string): Promise<ConfigElement[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the config ${path}: ${(e as Error).message}`);
  }
  const elements = clickElementsForCost(parseClickConfig(text));
  if (elements.length === 0) throw new CliError(`${path} declares no elements (name :: Class): is it a Click config?`);
  return elements;
}

/** The window as people read it: elements first (the config's words), then classes outside them, libraries. */
export function windowTable(w: CostWindow, n: number, of: number): string[] {
  const r = w.report;
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  const cpu = (ns: number) => `${(ns / 1e6).toFixed(1)} ms`;
  const lines = [`window ${n}/${of}: PID ${w.pid} (${w.executable ?? 'executable unknown'}), ${w.windowS} s at ${w.frequencyHz} Hz: ${r.samples} samples, ${cpu(r.cpuNs)} of CPU${w.perfCpuMs !== undefined ? `; perf itself used ${w.perfCpuMs.toFixed(0)} ms` : ''}`];
  if (r.stripped) lines.push(`  ${r.stripped.note}`);
  if (r.elements.length > 0) {
    lines.push('  ELEMENT               CLASS                  CPU     CPU TIME');
    for (const e of r.elements) lines.push(`  ${e.element.padEnd(21)} ${e.className.padEnd(22)} ${pct(e.share)}  ${cpu(e.cpuNs)}${e.sharedWith.length > 0 ? `  (class shared with ${e.sharedWith.join(', ')})` : ''}`);
    lines.push(`  ${'outside the elements'.padEnd(44)} ${pct(r.outside.share)}${r.outside.top.length > 0 ? `  top: ${r.outside.top.slice(0, 3).map((t) => `${t.name} ${pct(t.share).trim()}`).join(', ')}` : ''}`);
  } else if (r.classes.length > 0) {
    lines.push('  CLASS                                      CPU');
    for (const c of r.classes) lines.push(`  ${c.className.padEnd(42)} ${pct(c.share)}`);
  }
  if (r.modules.length > 0) {
    lines.push('  LIBRARY                                    CPU');
    for (const m of r.modules.slice(0, 8)) lines.push(`  ${m.dso.padEnd(42)} ${pct(m.share)}`);
  }
  return lines;
}

function positiveInt(text: string | undefined, what: string): number {
  if (text === undefined) throw new UsageError(`${what} is required; see vnf-lens cost --help`);
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive whole number, not ${JSON.stringify(text)}`);
  return n;
}

function positiveNumber(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${what} must be a positive number, not ${JSON.stringify(text)}`);
  return n;
}
