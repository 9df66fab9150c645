import { basename } from 'node:path';
import { renderRevisionHtml, renderRevisionMarkdown } from '../core/compare/render/revisionReport.ts';
import { compareRevisions } from '../core/compare/revisionAb.ts';
import { revisionFingerprints } from '../core/compare/revisionSides.ts';
import { checkOutputFile, writeOutputFile } from '../core/files/outputFile.ts';
import type { Interval } from '../core/perf/interval.ts';
import { readAllIntervals } from '../core/source/readIntervals.ts';
import { CliError, UsageError, asCliError } from './errors.ts';
import { DiagnosticPrinter } from './output.ts';

interface Values {
  format?: string | undefined;
  out?: string | undefined;
  force?: boolean | undefined;
  'run-a'?: string | undefined;
  'run-b'?: string | undefined;
  'a-range'?: string | undefined;
  'b-range'?: string | undefined;
  'rev-a'?: string | undefined;
  'rev-b'?: string | undefined;
}

/** `compare REC --rev-a N --rev-b M`: two revisions of one followed router, as a one-page A/B report. */
export async function compareRevisionsCommand(positionals: string[], values: Values): Promise<void> {
  if (values['rev-a'] === undefined || values['rev-b'] === undefined) throw new UsageError('give both revisions: --rev-a N --rev-b M');
  const revA = revisionNumber('--rev-a', values['rev-a']);
  const revB = revisionNumber('--rev-b', values['rev-b']);
  if (revA === revB) throw new UsageError(`--rev-a and --rev-b are both ${revA}: compare two different revisions`);
  if (positionals.length === 2 && positionals[0] !== positionals[1]) throw new UsageError('--rev-a and --rev-b compare revisions of one recording: give it once');
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(`compare --rev-a/--rev-b takes one recording (got ${positionals.length}); see vnf-lens compare --help`);
  for (const o of ['a-range', 'b-range'] as const) if (values[o] !== undefined) throw new UsageError(`--${o} does not go with --rev-a/--rev-b: the revisions choose the intervals`);
  if (values['run-b'] !== undefined && values['run-b'] !== values['run-a']) throw new UsageError('revisions are of one stream: give it with --run-a (or the same --run-b)');
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json' && format !== 'html') throw new UsageError(`--format must be md, json or html, not ${JSON.stringify(format)}`);
  const file = positionals[0]!;
  const outCheck = { what: 'report', inputs: file === '-' ? [] : [file], force: values.force ?? false };
  if (values.out !== undefined) asCliError(() => checkOutputFile(values.out!, outCheck));

  const diags = new DiagnosticPrinter(file);
  let ivs: Interval[];
  try {
    ivs = await readAllIntervals(file, { onDiagnostic: diags.report });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  diags.summary();
  let sides;
  try {
    sides = revisionFingerprints(ivs, file, values['run-a'], [revA, revB]);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const ab = compareRevisions(sides[0]!, sides[1]!);
  if ('waiting' in ab) throw new CliError(`cannot compare: ${ab.waiting}`);
  const source = `${basename(file)}${sides.stream ? ` [${sides.stream}]` : ''}`;
  const text = format === 'json' ? JSON.stringify({ ...ab, comparison: undefined, features: ab.comparison.features }, null, 2) + '\n' : format === 'html' ? renderRevisionHtml(ab, source) : renderRevisionMarkdown(ab, source);
  if (values.out !== undefined) {
    asCliError(() => writeOutputFile(values.out!, text, outCheck));
    process.stdout.write(`${ab.verdict}\nreport written to ${values.out}\n`);
  } else process.stdout.write(text);
}

function revisionNumber(name: string, text: string): number {
  if (!/^[1-9]\d{0,5}$/.test(text)) throw new UsageError(`${name} must be a revision number (1, 2, …), not ${JSON.stringify(text)}`);
  return Number(text);
}
