import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Model } from './model.ts';
import { MODEL_FORMAT, MODEL_VERSION } from './model.ts';
import { MODEL_SCHEMA } from './schema.ts';

let compiled: ValidateFunction | undefined;

/**
 * The schema is compiled on first use, and ajv itself loaded then: commands that read no
 * model, or only the model the build checked, start faster.
 */
function validator(): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  compiled ??= new (require('ajv') as typeof import('ajv')).Ajv({ allErrors: true, strict: false }).compile(MODEL_SCHEMA);
  return compiled;
}

/**
 * SHA-256 of media/default-model.json as the build found it passing every check of
 * parseModel (scripts/build.mjs); undefined when running from sources. A file of exactly
 * these bytes needs no second check; any other, or a modified copy, is checked in full.
 */
declare const __CHECKED_MODEL_SHA256__: string | undefined;
const CHECKED_MODEL_SHA256 = typeof __CHECKED_MODEL_SHA256__ === 'string' ? __CHECKED_MODEL_SHA256__ : undefined;

function checkedAtBuild(bytes: Buffer): boolean {
  return CHECKED_MODEL_SHA256 !== undefined && createHash('sha256').update(bytes).digest('hex') === CHECKED_MODEL_SHA256;
}

export class ModelError extends Error {}

export async function loadModel(file: string): Promise<Model> {
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new ModelError(`model ${file}: cannot read it: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  let json: unknown;
  try {
    // A UTF-8 byte order mark (some editors write one) is not part of the JSON, here as in manifests.
    json = JSON.parse(stripBom(bytes.toString('utf8')));
  } catch (e) {
    throw new ModelError(`model ${file}: not valid JSON (${(e as Error).message})`);
  }
  return checkedAtBuild(bytes) ? (json as Model) : parseModel(json, file);
}

/** Checks a parsed JSON document against the schema and the cross-field rules; `source` names it in errors. */
export function parseModel(json: unknown, source: string): Model {
  const o = json as { format?: unknown; version?: unknown } | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new ModelError(`model ${source}: must be a JSON object`);
  if (o.format !== MODEL_FORMAT) throw new ModelError(`model ${source}: not a VNF Lens model ("format" must be "${MODEL_FORMAT}")`);
  if (o.version !== MODEL_VERSION) throw new ModelError(`model ${source}: ${versionProblem(o.version)}`);
  const bad = nonFinite(json, '');
  if (bad !== undefined) throw new ModelError(`model ${source}: ${bad} is not a finite number (a value too large for a double, such as 1e999, reads as Infinity)`);
  const validate = validator();
  if (!validate(json)) throw new ModelError(`model ${source}: ${describe(validate.errors ?? [])}`);
  const model = json as Model;
  const problem = crossCheck(model);
  if (problem) throw new ModelError(`model ${source}: ${problem}`);
  return model;
}

function versionProblem(v: unknown): string {
  if (v === undefined) return `it has no "version"; this VNF Lens reads version ${MODEL_VERSION} (recalibrate with 'vnf-lens calibrate')`;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return `"version" is ${JSON.stringify(v)}, not a model format version (this VNF Lens reads version ${MODEL_VERSION})`;
  if (v > MODEL_VERSION) return `version ${v} is newer than this VNF Lens reads (version ${MODEL_VERSION}); update VNF Lens`;
  return `version ${v} is older than this VNF Lens reads (version ${MODEL_VERSION}); recalibrate with 'vnf-lens calibrate'`;
}

/** The JSON path of the first number that is not finite (JSON.parse turns 1e999 into Infinity), if any. */
function nonFinite(v: unknown, at: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : at || '(top level)';
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'number' ? !Number.isFinite(x) : typeof x === 'object' && nonFinite(x, '') !== undefined) return nonFinite(x, `${at}/${i}`);
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const bad = nonFinite(x, `${at}/${k}`);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The most specific schema error: ajv reports every failed branch of a oneOf. */
function describe(errors: ErrorObject[]): string {
  const useful = errors.filter((e) => e.keyword !== 'oneOf' && !(e.keyword === 'type' && e.params['type'] === 'null'));
  const list = useful.length > 0 ? useful : errors;
  list.sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  const e = list[0]!;
  const where = e.instancePath === '' ? '(top level)' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params['additionalProperty'])})` : e.keyword === 'enum' || e.keyword === 'const' ? ` (${JSON.stringify(e.params['allowedValues'] ?? e.params['allowedValue'])})` : '';
  return `${where} ${e.message ?? 'is invalid'}${extra}`;
}

function crossCheck(m: Model): string | undefined {
  const d = m.features.events.length;
  if (m.features.mean.length !== d) return `/features/mean has ${m.features.mean.length} values for ${d} events`;
  if (m.features.std.length !== d) return `/features/std has ${m.features.std.length} values for ${d} events`;
  const s = m.state;
  if (s.weights.length !== s.features.length) return `/state/weights has ${s.weights.length} values for ${s.features.length} features`;
  if (s.neutral.length !== s.features.length) return `/state/neutral has ${s.neutral.length} values for ${s.features.length} features`;
  if (s.relative && s.relative.weights.length !== s.features.length) return `/state/relative/weights has ${s.relative.weights.length} values for ${s.features.length} features`;
  const f = s.familiarity;
  if (f) {
    if (f.scale.length !== f.events.length) return `/state/familiarity/scale has ${f.scale.length} values for ${f.events.length} events`;
    const bad = [...f.idle, ...f.processing].findIndex((row) => row.length !== f.events.length);
    if (bad >= 0) return `/state/familiarity has an interval with the wrong number of values (expected ${f.events.length})`;
  }
  if (m.loss) {
    const l = m.loss;
    const dl = l.features ? l.features.events.length : d;
    if (l.features && l.features.mean.length !== dl) return `/loss/features/mean has ${l.features.mean.length} values for ${dl} events`;
    if (l.features && l.features.std.length !== dl) return `/loss/features/std has ${l.features.std.length} values for ${dl} events`;
    const bad = l.basis.findIndex((row) => row.length !== dl);
    if (bad >= 0) return `/loss/basis/${bad} has ${l.basis[bad]!.length} values for ${dl} events`;
    if (l.components > l.basis.length) return `/loss/components is ${l.components} but the basis has ${l.basis.length} components`;
    if (l.weights.length !== l.components) return `/loss/weights has ${l.weights.length} values for ${l.components} components`;
    const t = l.transient;
    if (t && t.weights.length !== t.lags * dl) return `/loss/transient/weights has ${t.weights.length} values for ${t.lags} lags of ${dl} events`;
    if (t && t.scale.length !== t.weights.length) return `/loss/transient/scale has ${t.scale.length} values for ${t.weights.length} weights`;
  }
  if (m.scenarios) {
    const sc = m.scenarios;
    if (sc.centroids.length !== sc.labels.length) return `/scenarios/centroids has ${sc.centroids.length} rows for ${sc.labels.length} labels`;
    const badC = sc.centroids.findIndex((c) => c.length !== d);
    if (badC >= 0) return `/scenarios/centroids/${badC} has ${sc.centroids[badC]!.length} values for ${d} events`;
    if (sc.scale.length !== d) return `/scenarios/scale has ${sc.scale.length} values for ${d} events`;
    const badP = sc.prototypes.findIndex((p) => p.z.length !== d || p.label >= sc.labels.length);
    if (badP >= 0) return `/scenarios/prototypes/${badP} has the wrong length or an unknown label`;
  }
  if (m.pps) {
    const r = m.pps;
    for (const key of ['scale', 'fill', 'weights'] as const) if (r[key].length !== r.events.length) return `/pps/${key} has ${r[key].length} values for ${r.events.length} events`;
    const run = r.running;
    if (run) for (const key of ['scale', 'fill', 'weights'] as const) if (run[key].length !== r.events.length) return `/pps/running/${key} has ${run[key].length} values for ${r.events.length} events`;
    if (run?.absolute && run.absolute.weights.length !== r.events.length) return `/pps/running/absolute/weights has ${run.absolute.weights.length} values for ${r.events.length} events`;
    if (r.ratio[0] > r.ratio[1]) return `/pps/ratio must be [low, high], not [${r.ratio.join(', ')}]`;
  }
  return undefined;
}

/**
 * media/default-model.json of the installed product: found by walking up from
 * this file (sources under src/, or the bundle in dist/) to the package root.
 */
export function defaultModelPath(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && isVnfLensPackage(pkg)) return path.join(dir, 'media', 'default-model.json');
    const up = path.dirname(dir);
    if (up === dir) throw new ModelError(`cannot find the VNF Lens package folder above ${__dirname} (looking for media/default-model.json)`);
    dir = up;
  }
}

function isVnfLensPackage(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'vnf-lens';
  } catch {
    return false;
  }
}

export function loadDefaultModel(): Promise<Model> {
  return loadModel(defaultModelPath());
}
