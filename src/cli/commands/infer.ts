import { parseArgs } from 'node:util';
import { fingerprint } from '../../core/fingerprint/fingerprint.ts';
import { createInferenceEngine, type Inference } from '../../core/inference/engine.ts';
import { labelsKeepOrder, similarityRecord } from '../../core/inference/scenarioMatcher.ts';
import { loadDefaultModel, loadModel } from '../../core/model/load.ts';
import type { ByteWriter } from '../../core/perf/byteWriter.ts';
import { setOwn } from '../../core/perf/eventSchema.ts';
import { readIntervalBatches } from '../../core/source/readIntervals.ts';
import { CliError, UsageError } from '../errors.ts';
import { JsonTexts } from '../jsonTexts.ts';
import { ByteOutput, DiagnosticPrinter, terminalSafe } from '../output.ts';
import { r4, writeRounded4, writeSimilarities } from '../roundedJson.ts';
import { checkedSeparator, nothingRead } from './replay.ts';

export const inferHelp = `vnf-lens infer [--model MODEL.json] [--format table|jsonl] [--brief] FILE

Says, for every interval of FILE as soon as it is read, what the router is doing:
its state (idle = busy polling without traffic, processing, or unknown) with a
confidence, the loss regime (lossy, clean or unknown) with a score and the first
two principal coordinates, and the closest traffic scenario of the model.
FILE is anything 'vnf-lens replay' reads (a .vnflens recording, perf stat -I output,
the ITC 2021 wide CSV) or - for standard input. Each run or stream of FILE is
followed separately and causally: an answer uses only that interval and earlier ones.

  --model MODEL.json     a model from 'vnf-lens calibrate' (default: the model shipped
                         with VNF Lens, media/default-model.json)
  --format table|jsonl   table (default) for people; jsonl: one object per interval
                         {t, [run], [stream], state, stateConfidence, [stateChange],
                         [stateBasis], [stateReason], loss, [lossReason], lossScore,
                         pca, scenario, similarity, runnerUp, runnerUpSimilarity,
                         margin, [scenarioReason], pps, ppsRange, [ppsReason],
                         [counters], [agreement], similarities}
                         (a reason says why an answer is unknown; pps: packets per
                         second from the CPU counters alone, ppsRange [low, high]
                         holds the truth about 90 % of the time, both null when the
                         model cannot estimate; counters and agreement when the
                         recording carries the router's counters)
  --brief                leave out the per-scenario similarity table (similarities)
  --separator C          perf's -x separator, if detection should not guess it
`;

export async function inferCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      format: { type: 'string', default: 'table' },
      brief: { type: 'boolean', default: false },
      separator: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(inferHelp);
    return;
  }
  if (positionals.length !== 1) throw new UsageError('infer takes exactly one FILE (or - for standard input); see vnf-lens infer --help');
  const format = values.format;
  if (format !== 'table' && format !== 'jsonl') throw new UsageError(`--format must be table or jsonl, not ${JSON.stringify(format)}`);
  const model = await (values.model ? loadModel(values.model) : loadDefaultModel()).catch((e: Error) => {
    throw new CliError(e.message);
  });
  const engine = createInferenceEngine(model);
  const file = positionals[0]!;
  const separator = checkedSeparator(values.separator);
  const diags = new DiagnosticPrinter(file);
  const out = new ByteOutput();
  let n = 0;
  for await (const batch of readIntervalBatches(file, { onDiagnostic: diags.report, ...(separator !== undefined ? { separator } : {}) })) {
    for (const iv of batch) {
      const inf = engine.next(fingerprint(iv), iv.packets);
      if (format === 'jsonl') writeInferenceJson(out.w, inf, values.brief);
      else {
        if (n === 0) out.w.text(tableHeader() + '\n');
        out.w.text(tableRow(inf) + '\n');
      }
      n++;
    }
    // Live input (standard input) is printed as it comes; a file in large blocks.
    await out.drain(file === '-');
  }
  await out.drain(true);
  diags.summary();
  if (n === 0) throw new CliError(nothingRead(file, diags.count));
}

/** The fixed parts of an inference line, as bytes once. */
const B = {
  open: Buffer.from('{"t":'),
  run: Buffer.from(',"run":'),
  stream: Buffer.from(',"stream":'),
  state: Buffer.from(',"state":'),
  stateConfidence: Buffer.from(',"stateConfidence":'),
  stateChange: Buffer.from(',"stateChange":'),
  stateBasis: Buffer.from(',"stateBasis":'),
  stateReason: Buffer.from(',"stateReason":'),
  loss: Buffer.from(',"loss":'),
  lossReason: Buffer.from(',"lossReason":'),
  lossScore: Buffer.from(',"lossScore":'),
  pca: Buffer.from(',"pca":'),
  scenario: Buffer.from(',"scenario":'),
  similarity: Buffer.from(',"similarity":'),
  runnerUp: Buffer.from(',"runnerUp":'),
  runnerUpSimilarity: Buffer.from(',"runnerUpSimilarity":'),
  margin: Buffer.from(',"margin":'),
  scenarioReason: Buffer.from(',"scenarioReason":'),
  pps: Buffer.from(',"pps":'),
  ppsRange: Buffer.from(',"ppsRange":'),
  ppsReason: Buffer.from(',"ppsReason":'),
  counters: Buffer.from(',"counters":'),
  agreement: Buffer.from(',"agreement":'),
  similarities: Buffer.from(',"similarities":'),
  null: Buffer.from('null'),
  close: Buffer.from('}\n'),
};

/** The same text as inferenceJson, written as bytes, plus the line end. */
export function writeInferenceJson(w: ByteWriter, inf: Inference, brief = false): void {
  w.bytes(B.open);
  // Times have a few decimals: written without the general float-to-text search.
  w.fixed(inf.t, 9);
  if (inf.run !== undefined) {
    w.bytes(B.run);
    jsonString(w, inf.run);
  }
  if (inf.stream !== undefined) {
    w.bytes(B.stream);
    jsonString(w, inf.stream);
  }
  w.bytes(B.state);
  jsonString(w, inf.state);
  w.bytes(B.stateConfidence);
  writeRounded4(w, inf.stateConfidence);
  optional(w, B.stateChange, inf.stateChange);
  optional(w, B.stateBasis, inf.stateBasis);
  optional(w, B.stateReason, inf.stateReason);
  w.bytes(B.loss);
  jsonString(w, inf.loss);
  optional(w, B.lossReason, inf.lossReason);
  w.bytes(B.lossScore);
  writeRounded4(w, inf.lossScore);
  w.bytes(B.pca);
  if (inf.pca === null) w.bytes(B.null);
  else {
    w.byte(91);
    writeRounded4(w, inf.pca[0]);
    w.byte(44);
    writeRounded4(w, inf.pca[1]);
    w.byte(93);
  }
  w.bytes(B.scenario);
  jsonString(w, inf.scenario);
  w.bytes(B.similarity);
  writeRounded4(w, inf.similarity);
  w.bytes(B.runnerUp);
  jsonString(w, inf.runnerUp);
  w.bytes(B.runnerUpSimilarity);
  writeRounded4(w, inf.runnerUpSimilarity);
  w.bytes(B.margin);
  writeRounded4(w, inf.margin);
  optional(w, B.scenarioReason, inf.scenarioReason);
  // Packets per second: whole packets are all the estimate can mean.
  w.bytes(B.pps);
  if (inf.pps === null) w.bytes(B.null);
  else w.fixed(Math.round(inf.pps), 0);
  w.bytes(B.ppsRange);
  if (inf.ppsRange === null) w.bytes(B.null);
  else {
    w.byte(91);
    w.fixed(Math.round(inf.ppsRange[0]), 0);
    w.byte(44);
    w.fixed(Math.round(inf.ppsRange[1]), 0);
    w.byte(93);
  }
  optional(w, B.ppsReason, inf.ppsReason);
  optional(w, B.counters, inf.counters);
  optional(w, B.agreement, inf.agreement);
  if (!brief) {
    w.bytes(B.similarities);
    const table = inf.similarities;
    if (labelsKeepOrder(table.labels)) writeSimilarities(w, table.labels, table.values);
    else {
      // Labels a record would list in another order or merge: written as that record is.
      const record = similarityRecord(table);
      writeSimilarities(w, Object.keys(record), Object.values(record));
    }
  }
  w.bytes(B.close);
}

/** A field inferenceJson writes only when set (truthy). */
function optional(w: ByteWriter, key: Buffer, value: unknown): void {
  if (!value) return;
  w.bytes(key);
  if (typeof value === 'string') jsonString(w, value);
  else w.text(JSON.stringify(value));
}

const texts = new JsonTexts();

/** A JSON string or null. */
function jsonString(w: ByteWriter, s: string | null): void {
  w.bytes(s === null ? B.null : texts.of(s));
}

/** The JSONL object of one interval; numbers rounded to what is meaningful. */
export function inferenceJson(inf: Inference, brief = false): string {
  const o: Record<string, unknown> = { t: inf.t };
  if (inf.run !== undefined) o['run'] = inf.run;
  if (inf.stream !== undefined) o['stream'] = inf.stream;
  o['state'] = inf.state;
  o['stateConfidence'] = r4(inf.stateConfidence);
  if (inf.stateChange) o['stateChange'] = inf.stateChange;
  if (inf.stateBasis) o['stateBasis'] = inf.stateBasis;
  if (inf.stateReason) o['stateReason'] = inf.stateReason;
  o['loss'] = inf.loss;
  if (inf.lossReason) o['lossReason'] = inf.lossReason;
  o['lossScore'] = inf.lossScore === null ? null : r4(inf.lossScore);
  o['pca'] = inf.pca === null ? null : [r4(inf.pca[0]), r4(inf.pca[1])];
  o['scenario'] = inf.scenario;
  o['similarity'] = inf.similarity === null ? null : r4(inf.similarity);
  o['runnerUp'] = inf.runnerUp;
  o['runnerUpSimilarity'] = inf.runnerUpSimilarity === null ? null : r4(inf.runnerUpSimilarity);
  o['margin'] = inf.margin === null ? null : r4(inf.margin);
  if (inf.scenarioReason) o['scenarioReason'] = inf.scenarioReason;
  o['pps'] = inf.pps === null ? null : Math.round(inf.pps);
  o['ppsRange'] = inf.ppsRange === null ? null : [Math.round(inf.ppsRange[0]), Math.round(inf.ppsRange[1])];
  if (inf.ppsReason) o['ppsReason'] = inf.ppsReason;
  if (inf.counters) o['counters'] = inf.counters;
  if (inf.agreement) o['agreement'] = inf.agreement;
  if (!brief) {
    const { labels, values } = inf.similarities;
    const sims: Record<string, number> = {};
    for (let i = 0; i < labels.length; i++) setOwn(sims, labels[i]!, r4(values[i]!));
    o['similarities'] = sims;
  }
  return JSON.stringify(o);
}

function tableHeader(): string {
  return [pad('run/stream', 12), padL('t', 10), pad(' state', 12), padL('conf', 5), pad(' loss', 8), padL('score', 7), padL('pc1', 7), padL('pc2', 7), ' ' + pad('scenario', 22), padL('sim', 5), ' ' + pad('runner-up', 22), padL('margin', 6), padL('pps', 10)].join(' ');
}

function tableRow(i: Inference): string {
  const num = (x: number | null, d: number) => (x === null ? '-' : x.toFixed(d));
  return [
    pad(terminalSafe(i.run ?? i.stream ?? '-'), 12),
    padL(i.t.toFixed(3), 10),
    ' ' + pad(i.state + (i.stateChange ? '*' : ''), 11),
    padL(i.stateConfidence.toFixed(2), 5),
    ' ' + pad(i.loss, 7),
    padL(num(i.lossScore, 2), 7),
    padL(i.pca ? i.pca[0].toFixed(2) : '-', 7),
    padL(i.pca ? i.pca[1].toFixed(2) : '-', 7),
    ' ' + pad(i.scenario ?? '-', 22),
    padL(num(i.similarity, 2), 5),
    ' ' + pad(i.runnerUp ?? '-', 22),
    padL(num(i.margin, 3), 6),
    padL(i.pps === null ? '-' : String(Math.round(i.pps)), 10),
  ].join(' ');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padL(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}
