import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDefaultModel } from '../../core/model/load.ts';
import type { ComparisonResult } from '../../core/compare/compareRuns.ts';
import { compareRuns } from '../../core/compare/compareRuns.ts';
import { renderHtml } from '../../core/compare/render/html.ts';
import { renderJson } from '../../core/compare/render/json.ts';
import { renderMarkdown } from '../../core/compare/render/markdown.ts';
import type { TimeRange } from '../../core/compare/selectIntervals.ts';
import { describeTimeRange, parseTimeRange, runNames, selectIntervals } from '../../core/compare/selectIntervals.ts';
import { checkOutputFile, writeOutputFile } from '../../core/files/outputFile.ts';
import { fingerprint } from '../../core/fingerprint/fingerprint.ts';
import type { Interval } from '../../core/perf/interval.ts';
import { readAllIntervals } from '../../core/source/readIntervals.ts';
import { CliError, UsageError, asCliError } from '../errors.ts';
import { compareRevisionsCommand } from '../compareRevisions.ts';
import { DiagnosticPrinter } from '../output.ts';

export const compareHelp = `vnf-lens compare A B [options]
       vnf-lens compare RECORDING --rev-a N --rev-b M [options]

Compares the CPU fingerprints of two recordings or runs — two router builds, two
configurations, two routers — feature by feature (event rates and derived metrics
such as ipc and branch-miss-ratio), and says in one line what differs.

A and B are .vnflens recordings, raw 'perf stat -I' output, or the ITC 2021 wide CSV.
They may be the same file with different runs or time ranges.

  --format md|json|html  md (default): Markdown report; json: every number;
                         html: self-contained page with charts (no external content)
  --out FILE             write the report to FILE and print only the verdict (never
                         one of the inputs; an existing FILE only with --force)
  --force                replace an existing --out FILE
  --run-a RUN            run (wide CSV, e.g. 5000-64) or stream (recording) of A;
  --run-b RUN            needed when the file holds several
  --a-range FROM:TO      only A's intervals whose middle is in FROM..TO seconds
  --b-range FROM:TO      (the input's own time; FROM: and :TO leave an end open)
  --rev-a N              revisions of a router followed across restarts in one
  --rev-b M              recording (record/watch --restart-timeout): the report
                         leads with throughput, drop ratio and cost per packet of
                         each revision's steady traffic, each change with its 95 %
                         interval, and a verdict on cost per packet
  --alpha X              significance level after correction (default 0.05)
  --adjust holm|bh       multiple-test correction: Holm (default) or Benjamini-Hochberg
  --min-diff PCT         smallest change of a mean worth reporting, in % (default 5)

Method: Welch's t-test per feature; each side's series is read as steady levels
(traffic states) plus serially correlated noise, and the standard error uses the
noise with an effective sample size n(1-r)/(1+r) from its lag-1 autocorrelation r.
A feature differs when its adjusted p is below alpha and its mean moves by at
least --min-diff.

Example:
  vnf-lens compare fastclick.csv vpp.csv --run-a 5000-64 --run-b 5000-64 --format html --out ab.html
`;

export async function compareCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'md' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      'run-a': { type: 'string' },
      'run-b': { type: 'string' },
      'a-range': { type: 'string' },
      'b-range': { type: 'string' },
      'rev-a': { type: 'string' },
      'rev-b': { type: 'string' },
      alpha: { type: 'string' },
      adjust: { type: 'string', default: 'holm' },
      'min-diff': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(compareHelp);
    return;
  }
  const revs = values['rev-a'] !== undefined || values['rev-b'] !== undefined;
  if (revs) {
    await compareRevisionsCommand(positionals, values);
    return;
  }
  if (positionals.length !== 2) throw new UsageError(`compare takes two inputs, A and B (got ${positionals.length}); see vnf-lens compare --help`);
  const format = values.format;
  if (format !== 'md' && format !== 'json' && format !== 'html') throw new UsageError(`--format must be md, json or html, not ${JSON.stringify(format)}`);
  const adjust = values.adjust;
  if (adjust !== 'holm' && adjust !== 'bh') throw new UsageError(`--adjust must be holm or bh, not ${JSON.stringify(adjust)}`);
  const alpha = numberOption('--alpha', values.alpha, 0.05, (x) => x > 0 && x < 1, 'between 0 and 1');
  const minDiff = numberOption('--min-diff', values['min-diff'], 5, (x) => x >= 0, 'a percentage, 0 or more');
  const rangeA = rangeOption('--a-range', values['a-range']);
  const rangeB = rangeOption('--b-range', values['b-range']);
  const [fileA, fileB] = positionals as [string, string];
  const outCheck = { what: 'report', inputs: [fileA, fileB].filter((f) => f !== '-'), force: values.force };
  if (values.out !== undefined) asCliError(() => checkOutputFile(values.out!, outCheck));

  const cache = new Map<string, Promise<Interval[]>>();
  const read = (file: string) => {
    let p = cache.get(file);
    if (!p) {
      const diags = new DiagnosticPrinter(file);
      p = readAllIntervals(file, { onDiagnostic: diags.report }).then((ivs) => {
        diags.summary();
        return ivs;
      });
      cache.set(file, p);
    }
    return p;
  };
  const side = async (which: 'A' | 'B', file: string, run: string | undefined, range: TimeRange | undefined) => {
    const ivs = await read(file).catch((e: Error) => {
      throw new CliError(`${which}: ${e.message}`);
    });
    if (ivs.length === 0) throw new CliError(`${which}: no intervals in ${file} (is it 'perf stat -I' output?)`);
    let picked: Interval[];
    try {
      picked = selectIntervals(ivs, file, run, range);
    } catch (e) {
      const hint = run === undefined && runNames(ivs).length > 1 ? ` with --run-${which.toLowerCase()}` : '';
      throw new UsageError(`${which}: ${(e as Error).message}${hint}`);
    }
    const label = `${basename(file)}${run !== undefined ? ` [${run}]` : ''}${range ? ` (${describeTimeRange(range)})` : ''}`;
    return { label, fingerprints: picked.map(fingerprint) };
  };
  const a = await side('A', fileA, values['run-a'], rangeA);
  const b = await side('B', fileB, values['run-b'], rangeB);
  let result: ComparisonResult;
  try {
    // The shipped model's packet-rate fit gives each side's rate from the CPU alone; without it, the rest stands.
    const model = await loadDefaultModel().catch(() => undefined);
    result = compareRuns(a, b, { alpha, adjust, minRelativeDifference: minDiff / 100, ...(model ? { model } : {}) });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const text = format === 'json' ? renderJson(result) : format === 'html' ? renderHtml(result) : renderMarkdown(result);
  if (values.out !== undefined) {
    asCliError(() => writeOutputFile(values.out!, text, outCheck));
    process.stdout.write(`${result.verdict}\nreport written to ${values.out}\n`);
  } else process.stdout.write(text);
}

function numberOption(name: string, text: string | undefined, fallback: number, ok: (x: number) => boolean, what: string): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new UsageError(`${name} must be ${what}, not ${JSON.stringify(text)}`);
  return x;
}

function rangeOption(name: string, text: string | undefined): TimeRange | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTimeRange(text);
  } catch (e) {
    throw new UsageError(`${name}: ${(e as Error).message}`);
  }
}
