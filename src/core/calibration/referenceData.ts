import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Model, StateParams } from '../model/model.ts';
import { buildModel } from './calibrate.ts';
import { csvField, MANIFEST_HEADER, MANIFEST_HEADER_PPS, parseManifest } from './manifest.ts';
import { loadSamples, type LoadedSamples } from './samples.ts';
import { forwardedPerInterval, readMoonGenLoss } from './moongenLoss.ts';

/**
 * Manifest rows for the reference recordings of the ITC 2021 paper's authors
 * (../shared/datasets, see its README): the labelling rules live here so the
 * default model, the evaluation and the tests apply the same ones.
 */
export const ONOFF_ROUTERS = ['fastclick', 'vpp', 'ovs', 'bess'] as const;
export const ONOFF_RATES = [500, 2500, 5000, 7500, 10000];
export const ONOFF_SIZES = [64, 128, 512, 1400];
export const ONVM_RUNS = ['exp-2', 'exp-7', '128B'] as const;

/** On-off runs: interval i ends at about i + 1 s; rows 0-14 idle, 15-19 transition, 20-28 processing. */
export const ONOFF = {
  idleTo: 15.5,
  processingFrom: 20.5,
  /** Seconds 21-25 calibrate the scenario protocol, 26-29 judge it. */
  scenarioCalibrateTo: 25.5,
  scenarioJudgeFrom: 25.5,
};

/** Loss over this share of the offered packets makes a lossy second. */
export const LOSSY_SHARE = 0.01;

export interface ManifestRow {
  file: string;
  from?: number;
  to?: number;
  state?: 'idle' | 'processing';
  loss?: 'lossy' | 'clean';
  scenario?: string;
  /** Packets per second the router forwarded in the range (offered, where nothing was lost). */
  pps?: number;
  /** Labels the router the model is for (a run of it a user adds), not a reference router. */
  own?: boolean;
}

/** The datasets folder beside the project root (../shared/datasets), or undefined when absent. */
export function findDatasets(repoRoot: string): string | undefined {
  const dir = path.resolve(repoRoot, '../shared/datasets');
  return existsSync(path.join(dir, 'itc21')) ? dir : undefined;
}

export function onoffRuns(): string[] {
  const out: string[] = [];
  for (const r of ONOFF_RATES) for (const s of ONOFF_SIZES) out.push(`${r}-${s}`);
  return out;
}

export interface OnOffRowOptions {
  /** Label processing seconds with the scenario `RATE-SIZE`, prefixed `router:` when given. */
  scenarioPrefix?: string;
  /** Which processing seconds get the scenario label. */
  scenarioFrom?: number;
  scenarioTo?: number;
  /** FastClick at 10 Gbit/s with 64-byte packets is beyond its no-drop capacity (the paper): lossy; its other processing runs clean. */
  lossLabels?: boolean;
  /**
   * Label clean the processing seconds of runs that offer at most this many packets per
   * second (64-byte packets at 2500 Mbit/s are 3.7 Mpps): far below what one core of any of
   * these routers forwards, so they lose nothing. No loss was measured in these runs.
   */
  cleanUpToPps?: number;
  state?: boolean;
  /** Label the processing seconds with the packet rate the run offers (offeredPps of its name). */
  pps?: boolean;
}

/** The default model's clean on-off runs: light traffic (see OnOffRowOptions.cleanUpToPps). */
export const CLEAN_UP_TO_PPS = 2.5e6;

/** Packets per second a run RATE-SIZE offers: RATE Mbit/s of SIZE-byte frames, plus 20 bytes of preamble and gap each. */
export function offeredPps(run: string): number {
  const [mbps, size] = run.split('-').map(Number);
  return (mbps! * 1e6) / ((size! + 20) * 8);
}

export function onoffRows(fileRel: string, router: string, opts: OnOffRowOptions = {}): ManifestRow[] {
  const rows: ManifestRow[] = [];
  for (const run of onoffRuns()) {
    const file = `${fileRel}#${run}`;
    if (opts.state !== false) {
      rows.push({ file, to: ONOFF.idleTo, state: 'idle' });
      rows.push({ file, from: ONOFF.processingFrom, state: 'processing' });
    }
    if (opts.lossLabels) {
      // Idle: nothing offered, nothing lost.
      rows.push({ file, to: ONOFF.idleTo, loss: 'clean' });
      if (router === 'fastclick') rows.push({ file, from: ONOFF.processingFrom, loss: run === '10000-64' ? 'lossy' : 'clean' });
    }
    if (opts.pps) rows.push({ file, from: ONOFF.processingFrom, pps: Math.round(offeredPps(run)) });
    if (opts.cleanUpToPps !== undefined && offeredPps(run) <= opts.cleanUpToPps) rows.push({ file, from: ONOFF.processingFrom, loss: 'clean' });
    if (opts.scenarioPrefix !== undefined) {
      const row: ManifestRow = { file, from: opts.scenarioFrom ?? ONOFF.processingFrom, scenario: `${opts.scenarioPrefix}${run}` };
      if (opts.scenarioTo !== undefined) row.to = opts.scenarioTo;
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Per-second lossy/clean labels of an OpenNetVM run from its MoonGen counters,
 * merged into stretches; every second is also processing (traffic flows the
 * whole run: at least about half a million packets offered in every second).
 * With `pps`, one more row per second gives the packets the bridge forwarded in it
 * (forwardedPerInterval: what the CPU counters can tell; in a lossy second far less
 * than was offered).
 */
export async function onvmRows(runDir: string, fileRel: string, perfTimes: number[], opts: { pps?: boolean } = {}): Promise<ManifestRow[]> {
  const loss = await readMoonGenLoss(path.join(runDir, 'tx_stats.csv'), path.join(runDir, 'rx_stats.csv'));
  const rows: ManifestRow[] = [];
  let cur: ManifestRow | undefined;
  for (let i = 0; i < perfTimes.length && i < loss.length; i++) {
    const label = loss[i]!.lossRatio > LOSSY_SHARE ? 'lossy' : 'clean';
    const t = perfTimes[i]!;
    if (cur && cur.loss === label) cur.to = t;
    else {
      cur = { file: fileRel, from: t, to: t, state: 'processing', loss: label };
      rows.push(cur);
    }
  }
  if (opts.pps) {
    const forwarded = forwardedPerInterval(loss);
    for (let i = 0; i < perfTimes.length && i < loss.length; i++) {
      const pps = forwarded[i];
      if (pps !== undefined && pps > 0) rows.push({ file: fileRel, from: perfTimes[i]!, to: perfTimes[i]!, pps });
    }
  }
  return rows;
}

export function manifestText(rows: ManifestRow[]): string {
  // The seventh column only when a row gives a packet rate: older readers keep reading the rest.
  const withPps = rows.some((r) => r.pps !== undefined);
  const lines = [(withPps ? MANIFEST_HEADER_PPS : MANIFEST_HEADER).join(',')];
  for (const r of rows) {
    const cells: (string | number)[] = [csvField(r.file), r.from ?? '', r.to ?? '', r.state ?? '', r.loss ?? '', csvField(r.scenario ?? '')];
    if (withPps) cells.push(r.pps ?? '');
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Calibrates a model from manifest rows in memory (paths absolute or relative to `baseDir`), as `vnf-lens calibrate` would. */
export async function calibrateRows(rows: ManifestRow[], baseDir: string, stateFallback?: StateParams, name = 'reference'): Promise<Model> {
  return buildModel(await rowSamples(rows, baseDir, name), { name, ...(stateFallback ? { stateFallback } : {}) });
}

/** The labelled samples of manifest rows, as calibrateRows reads them. */
export async function rowSamples(rows: ManifestRow[], baseDir: string, name = 'reference'): Promise<LoadedSamples> {
  // One entry per row, in order: the rows that label the router the model is for stay marked.
  const entries = parseManifest(manifestText(rows), `${name} manifest`, baseDir).map((e, i) => (rows[i]!.own ? { ...e, own: true } : e));
  return loadSamples(entries, `${name} manifest`);
}
