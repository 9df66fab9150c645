import { parseArgs } from 'node:util';
import { calibrate, calibrateFrom, type CalibrationProgress } from '../../core/calibration/calibrate.ts';
import { ManifestError, readManifest } from '../../core/calibration/manifest.ts';
import { checkOutputFile, writeOutputFile } from '../../core/files/outputFile.ts';
import { CliError, UsageError, asCliError } from '../errors.ts';
import { DiagnosticPrinter } from '../output.ts';
import type { Model } from '../../core/model/model.ts';

export const calibrateHelp = `vnf-lens calibrate --manifest FILE --out MODEL.json [--name NAME]
vnf-lens calibrate --from REC [--from REC…] [--manifest FILE] [--with-default] --out MODEL.json

Builds a model from labelled recordings. Recordings that carry the router's own
packet counters (--from) label themselves, interval by interval: idle when no
packet was received, processing otherwise; lossy when drops exceed 1 % of the
packets offered (received + dropped), clean otherwise. No manifest is needed;
one may be added, and --with-default adds the reference data the default model
was built from (when it is on this machine). The --from recordings and every
manifest row that is not a copy of a default-manifest row label the router the
model is for: the model keeps how high that router's own idle loop reaches in
memory traffic, and answers "processing" from a rise over it.

The manifest is CSV with the header
  file,from,to,state,loss,scenario      (or the same with ,pps)
one row per labelled stretch (rows may repeat a file):
  file      recording or perf output, relative to the manifest's folder or absolute;
            FILE#NAME picks one run of the ITC 2021 wide CSV (e.g.
            on-off/fastclick.csv#5000-64) or one stream of a multi-stream recording
  from,to   interval end times in seconds as they appear in the file, inclusive
            (empty = from the start / to the end)
  state     idle | processing | empty
  loss      lossy | clean | empty
  scenario  a free label (RATE-SIZE, e.g. 5000-64, draws the similarity chart by
            rate and packet size) or empty
  pps       optional column: packets per second the router forwarded in the range
            (what was offered where nothing was lost), or empty;
            with --from, every interval carries the packets/s the router received.
            Processing intervals with a rate teach the packet rate from the CPU alone.
Example:
  file,from,to,state,loss,scenario
  on-off/fastclick.csv#5000-64,,15.5,idle,,
  on-off/fastclick.csv#5000-64,20.5,,processing,clean,5000-64
Without idle and processing rows the state detector of the default model is kept.

  --from REC        a recording with the router's counters (repeatable)
  --manifest FILE   the manifest
  --with-default    also calibrate on the default model's reference data
  --out MODEL.json  where to write the model (never an input; an existing file only with --force)
  --force           replace an existing --out file
  --name NAME       model name (default: the manifest's file name)
`;

export async function calibrateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      manifest: { type: 'string' },
      from: { type: 'string', multiple: true },
      'with-default': { type: 'boolean', default: false },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(calibrateHelp);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`calibrate takes no positional arguments (got ${positionals.join(' ')}); use --manifest FILE --out MODEL.json`);
  const from = values.from ?? [];
  if (!values.manifest && from.length === 0) throw new UsageError('calibrate needs --manifest FILE or --from RECORDING (see vnf-lens calibrate --help)');
  if (!values.out) throw new UsageError('calibrate needs --out MODEL.json');
  // The model may not replace the manifest or a recording it names, and is checked before minutes of fitting.
  const entries = values.manifest
    ? await readManifest(values.manifest).catch((e: Error) => {
        throw new CliError(e.message);
      })
    : [];
  const inputs = [...(values.manifest ? [values.manifest] : []), ...from, ...new Set(entries.map((e) => e.path))];
  const outCheck = { what: 'model', inputs, force: values.force };
  asCliError(() => checkOutputFile(values.out!, outCheck));
  const tty = process.stderr.isTTY === true;
  let last = '';
  const started = Date.now();
  let model;
  // Rejected lines are named per file, as replay names them.
  const printers = new Map<string, DiagnosticPrinter>();
  const diagnostics = (file: string) => printers.get(file) ?? printers.set(file, new DiagnosticPrinter(file)).get(file)!;
  try {
    const common = {
      ...(values.name ? { name: values.name } : {}),
      onProgress: (p: CalibrationProgress) => {
        const line = `calibrate: ${p.phase === 'read' ? 'reading' : 'fitting'} ${p.done}/${p.total} ${p.detail}`;
        if (tty) process.stderr.write(`\r${line.padEnd(last.length)}`);
        else if (p.phase === 'read' && p.detail !== 'done') process.stderr.write(`${line}\n`);
        last = line;
      },
    };
    model =
      from.length === 0 && !values['with-default']
        ? await calibrate(values.manifest!, common)
        : await calibrateFrom({ ...common, recordings: from, onDiagnostic: (file, d) => diagnostics(file).report(d), ...(values.manifest ? { manifest: values.manifest } : {}), withDefault: values['with-default'] });
    for (const p of printers.values()) p.summary();
  } catch (e) {
    if (tty && last) process.stderr.write('\n');
    if (e instanceof ManifestError) throw new CliError(e.message);
    throw e;
  }
  if (tty) process.stderr.write('\n');
  asCliError(() => writeOutputFile(values.out!, JSON.stringify(model) + '\n', outCheck));
  const c = model.provenance.counts;
  const parts = [`${c.intervals} intervals`, `state: ${stateSummary(model)}`, `loss: ${model.loss ? `${c.loss['lossy'] ?? 0} lossy / ${c.loss['clean'] ?? 0} clean` : 'no labels (unknown)'}`, `${c.scenarios} scenarios`];
  process.stderr.write(`calibrate: wrote ${values.out} (${parts.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** Whether the state was fitted here (and on which events) or taken from the default model. */
function stateSummary(model: Model): string {
  const notes = model.provenance.notes ?? [];
  if (notes.some((n) => n.startsWith('state from the default model'))) return 'from the default model (too few idle or processing intervals)';
  const software = notes.some((n) => n.startsWith('state fitted on software events'));
  const oi = model.state.ownIdle;
  const range = oi?.low !== undefined ? ` (${oi.low.toFixed(2)}-${oi.level.toFixed(2)}, ± ${(oi.movement ?? 0).toFixed(2)} between runs)` : '';
  const own = oi ? `; this router's own idle range${range} from ${oi.intervals} of its idle intervals` : '';
  return `fitted on ${software ? 'software events ' : ''}${model.state.features.join(', ')}${own}`;
}
