import { parseArgs } from 'node:util';
import { calibrate } from '../../core/calibration/calibrate.ts';
import { ManifestError, readManifest } from '../../core/calibration/manifest.ts';
import { checkOutputFile, writeOutputFile } from '../../core/files/outputFile.ts';
import { CliError, UsageError, asCliError } from '../errors.ts';

export const calibrateHelp = `vnf-lens calibrate --manifest FILE --out MODEL.json [--name NAME]

Builds a model from labelled recordings. The manifest is CSV with the header
  file,from,to,state,loss,scenario
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
Example:
  file,from,to,state,loss,scenario
  on-off/fastclick.csv#5000-64,,15.5,idle,,
  on-off/fastclick.csv#5000-64,20.5,,processing,clean,5000-64
Without idle and processing rows the state detector of the default model is kept.

  --manifest FILE   the manifest
  --out MODEL.json  where to write the model (never an input; an existing file only with --force)
  --force           replace an existing --out file
  --name NAME       model name (default: the manifest's file name)
`;

export async function calibrateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { manifest: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(calibrateHelp);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`calibrate takes no positional arguments (got ${positionals.join(' ')}); use --manifest FILE --out MODEL.json`);
  if (!values.manifest) throw new UsageError('calibrate needs --manifest FILE (see vnf-lens calibrate --help)');
  if (!values.out) throw new UsageError('calibrate needs --out MODEL.json');
  // The model may not replace the manifest or a recording it names, and is checked before minutes of fitting.
  const entries = await readManifest(values.manifest).catch((e: Error) => {
    throw new CliError(e.message);
  });
  const outCheck = { what: 'model', inputs: [values.manifest, ...new Set(entries.map((e) => e.path))], force: values.force };
  asCliError(() => checkOutputFile(values.out!, outCheck));
  const tty = process.stderr.isTTY === true;
  let last = '';
  const started = Date.now();
  let model;
  try {
    model = await calibrate(values.manifest, {
      ...(values.name ? { name: values.name } : {}),
      onProgress: (p) => {
        const line = `calibrate: ${p.phase === 'read' ? 'reading' : 'fitting'} ${p.done}/${p.total} ${p.detail}`;
        if (tty) process.stderr.write(`\r${line.padEnd(last.length)}`);
        else if (p.phase === 'read' && p.detail !== 'done') process.stderr.write(`${line}\n`);
        last = line;
      },
    });
  } catch (e) {
    if (tty && last) process.stderr.write('\n');
    if (e instanceof ManifestError) throw new CliError(e.message);
    throw e;
  }
  if (tty) process.stderr.write('\n');
  asCliError(() => writeOutputFile(values.out!, JSON.stringify(model) + '\n', outCheck));
  const c = model.provenance.counts;
  const parts = [`${c.intervals} intervals`, `state: ${model.state.fittedOn.length > 0 && c.state['idle'] ? 'fitted' : 'from the default model'}`, `loss: ${model.loss ? `${c.loss['lossy'] ?? 0} lossy / ${c.loss['clean'] ?? 0} clean` : 'no labels (unknown)'}`, `${c.scenarios} scenarios`];
  process.stderr.write(`calibrate: wrote ${values.out} (${parts.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
