import { parseArgs } from 'node:util';
import { fingerprint } from '../../core/fingerprint/fingerprint.ts';
import { type Inference, createInferenceEngine } from '../../core/inference/engine.ts';
import { parseEventList } from '../../core/live/events.ts';
import { LiveSession } from '../../core/live/session.ts';
import { sessionOptionsFromText } from '../../core/live/sessionOptions.ts';
import { loadDefaultModel, loadModel } from '../../core/model/load.ts';
import type { Model } from '../../core/model/model.ts';
import type { Interval } from '../../core/perf/interval.ts';
import { CliError, UsageError } from '../errors.ts';
import { Output, say, terminalSafe } from '../output.ts';
import { inferenceJson } from './infer.ts';
import { asUsage } from '../hostOptions.ts';
import { LIVE_OPTIONS, failUnlessClean, liveOptionText, runSession } from './record.ts';

export const watchHelp = `vnf-lens watch (--local | --ssh HOST) [--ssh-config FILE] --pid PID[,PID…]
               [--interval MS] [--events LIST] [--duration S] [--model MODEL.json]
               [--format table|jsonl] [--brief] [--out PATH]

Attaches perf to running router processes like 'vnf-lens record' and prints, for
every interval as it arrives, what the router is doing: state (idle/processing),
loss regime and the closest traffic scenario of the model. Stops on Ctrl-C, after
--duration, or when the routers exit and do not come back (--restart-timeout).

  --local | --ssh HOST    where the router runs (HOST: ssh config Host or [user@]host[:port])
  --ssh-config FILE       ssh config file to use instead of ~/.ssh/config
  --perf PATH             perf on the target, if not 'perf' in PATH
  --pid PID[,PID…]        the router process(es), one stream each
  --tid TID[,TID…]        attach to single threads instead
  --interval MS           interval length in milliseconds (default 1000)
  --events LIST           perf events (default: the events the model uses)
  --duration S            stop after S seconds
  --counters SOURCE       the router's own packet counters (see vnf-lens record --help);
                          the table shows packets per second received and dropped
  --no-router-counters    read no router counters
  --restart-timeout S     follow a router that restarts for up to S seconds (default 30;
                          see vnf-lens record --help); 0 ends when it exits
  --model MODEL.json      a model from 'vnf-lens calibrate' (default: the shipped model)
  --format table|jsonl    table (default) for people; jsonl as 'vnf-lens infer' prints it
  --brief                 jsonl without the per-scenario similarities
  --out PATH              also record the session to this new .vnflens file
`;

export async function watchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...LIVE_OPTIONS, model: { type: 'string' }, format: { type: 'string', default: 'table' }, brief: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  if (values.help) {
    process.stdout.write(watchHelp);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`watch takes no arguments (got ${JSON.stringify(positionals[0])}); see vnf-lens watch --help`);
  const format = values.format;
  if (format !== 'table' && format !== 'jsonl') throw new UsageError(`--format must be table or jsonl, not ${JSON.stringify(format)}`);
  const text = liveOptionText(values);
  const opts = asUsage(() => sessionOptionsFromText({ ...text, ...(values.out !== undefined ? { out: values.out } : {}) }));
  const model = await (values.model ? loadModel(values.model) : loadDefaultModel()).catch((e: Error) => {
    throw new CliError(e.message);
  });
  if (text.events === undefined) opts.events = modelEvents(model) ?? opts.events;

  const engine = createInferenceEngine(model);
  const out = new Output();
  const session = new LiveSession(opts);
  let n = 0;
  session.on('interval', (iv) => {
    const inf = engine.next(fingerprint(iv), iv.packets);
    if (format === 'jsonl') {
      const line = inferenceJson(inf, values.brief);
      out.line(iv.packets && !line.includes('"packets":') ? `${line.slice(0, -1)},"packets":${JSON.stringify(iv.packets)}}` : line);
    }
    else {
      if (n === 0) out.line(watchHeader());
      out.line(watchRow(inf, iv));
    }
    n++;
    // Live: every interval is shown the moment it is inferred.
    void out.flush();
  });
  const end = await runSession(session, opts);
  await out.flush();
  say(`${n} intervals; ${end.reason}`);
  failUnlessClean(end);
}

/** The events the model reads, in its order; undefined when it names none. */
function modelEvents(model: Model): string[] | undefined {
  const names = [...model.features.events, ...model.state.features];
  if (names.length === 0) return undefined;
  return asUsage(() => parseEventList([...new Set(names)].join(',')));
}

function watchHeader(): string {
  return ['stream'.padEnd(12), 't'.padStart(9), 'task-clock'.padStart(11), 'rx pps'.padStart(10), 'drop pps'.padStart(9), ' state'.padEnd(12), 'conf'.padStart(5), ' loss'.padEnd(8), 'score'.padStart(6), ' scenario'.padEnd(23), 'sim'.padStart(5), 'margin'.padStart(7), ' missing'].join(' ');
}

/** Packets per second of the interval, short (`1.25M`, `830k`, `12`); `-` without counters. */
export function perSecond(n: number | undefined, dt: number): string {
  if (n === undefined || !(dt > 0)) return '-';
  const r = n / dt;
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M`;
  if (r >= 1e4) return `${(r / 1e3).toFixed(0)}k`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k`;
  return r.toFixed(0);
}

function watchRow(i: Inference, iv: Interval): string {
  const num = (x: number | null, d: number) => (x === null ? '-' : x.toFixed(d));
  const tc = iv.counters['task-clock'];
  const missing = iv.notCounted.length + iv.unsupported.length;
  return [
    terminalSafe(i.stream ?? '-').padEnd(12),
    i.t.toFixed(2).padStart(9),
    (tc === undefined ? '-' : `${tc.toFixed(1)}ms`).padStart(11),
    perSecond(iv.packets?.rx, iv.dt).padStart(10),
    perSecond(iv.packets?.dropped, iv.dt).padStart(9),
    (' ' + i.state + (i.stateChange ? '*' : '')).padEnd(12),
    i.stateConfidence.toFixed(2).padStart(5),
    (' ' + i.loss).padEnd(8),
    num(i.lossScore, 2).padStart(6),
    (' ' + (i.scenario ?? '-')).padEnd(23),
    num(i.similarity, 2).padStart(5),
    num(i.margin, 3).padStart(7),
    ' ' + (missing === 0 ? '-' : String(missing)),
  ].join(' ');
}
