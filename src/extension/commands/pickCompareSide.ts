import { basename } from 'node:path';
import * as vscode from 'vscode';
import { parseTimeRange, selectIntervals, type TimeRange } from '../../core/compare/selectIntervals.ts';
import { steadyStretches } from '../../core/compare/steadyStretches.ts';
import { fingerprint } from '../../core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../core/inference/engine.ts';
import type { Model } from '../../core/model/model.ts';
import { readAllIntervals } from '../../core/source/readIntervals.ts';
import { ReplaySource } from '../sessions/replaySource.ts';
import type { SessionManager } from '../sessions/sessionManager.ts';
import { pickRecording, type PickedRecording } from './pickRecording.ts';
import type { QuickFlow } from './quickInput.ts';

export interface CompareInput {
  path: string;
  run?: string;
  range?: TimeRange;
}

type SourceItem = vscode.QuickPickItem & { input?: PickedRecording; file?: boolean };
type RangeItem = vscode.QuickPickItem & { range?: TimeRange; custom?: boolean };

/**
 * One side of a comparison: an open session (its recording) or a file, then the stretch
 * of it to compare — the steady stretches found in it (processing first), the whole run,
 * or a range typed in. Undefined if the user cancels.
 */
export async function pickCompareSide(title: string, sessions: SessionManager, model: Model | null, flow: QuickFlow): Promise<CompareInput | undefined> {
  const open: SourceItem[] = sessions.all
    .filter((s) => s.source.recordingPath !== undefined)
    .map((s) => {
      const run = s.source instanceof ReplaySource ? s.source.runName : undefined;
      return {
        label: `$(${s.source.kind === 'live' ? 'pulse' : 'history'}) ${s.title}`,
        description: `${s.source.kind === 'live' ? 'live' : 'replay'} · ${s.status} · ${s.pipeline.intervals} intervals`,
        input: { path: s.source.recordingPath!, ...(run !== undefined ? { run } : {}) },
      };
    });
  let picked: PickedRecording | undefined;
  if (open.length === 0) picked = await pickRecording(title, flow);
  else {
    const choice = await flow.pick<SourceItem>(
      [{ label: 'Open sessions', kind: vscode.QuickPickItemKind.Separator }, ...open, { label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(folder-opened) Choose a recording file…', file: true }],
      { title, placeHolder: 'An open session (its recording), or a file' },
    );
    if (!choice) return undefined;
    picked = choice.file ? await pickRecording(title, flow) : choice.input;
  }
  if (!picked) return undefined;
  flow.busy(title, `finding the steady stretches of ${basename(picked.path)}…`);
  const range = await pickRange(title, picked, model, flow);
  if (range === undefined) return undefined;
  return { ...picked, ...(range ? { range } : {}) };
}

/** null: the whole run; undefined: cancelled. */
async function pickRange(title: string, p: PickedRecording, model: Model | null, flow: QuickFlow): Promise<TimeRange | null | undefined> {
  const ivs = selectIntervals(await readAllIntervals(p.path), p.path, p.run);
  if (ivs.length === 0) return null;
  const fps = ivs.map(fingerprint);
  const states = model ? stateOf(fps, model) : undefined;
  const stretches = steadyStretches(fps).map((s) => {
    const state = states ? majority(states.slice(fps.findIndex((f) => f.t === s.first), fps.findIndex((f) => f.t === s.last) + 1)) : undefined;
    return { ...s, state };
  });
  // Two builds are compared while they forward: processing stretches first, longest first.
  stretches.sort((a, b) => Number(b.state === 'processing') - Number(a.state === 'processing') || b.intervals - a.intervals);
  const whole = `${fmt(ivs[0]!.t - ivs[0]!.dt)}–${fmt(ivs[ivs.length - 1]!.t)} s`;
  const items: RangeItem[] = [
    ...stretches.slice(0, 4).map((s) => ({
      label: `Steady ${fmt(s.range.from ?? s.first)}–${fmt(s.range.to ?? s.last)} s`,
      description: `${s.intervals} intervals${s.state && s.state !== 'unknown' ? ` · ${s.state}` : ''}`,
      range: s.range,
    })),
    { label: 'Whole run', description: `${whole} · ${ivs.length} intervals${stretches.length > 1 ? ' · changes level: its means mix those states' : ''}` },
    { label: 'Enter a range…', description: 'FROM:TO in seconds', custom: true },
  ];
  const choice = await flow.pick(items, { title: `${title}: which stretch of ${basename(p.path)}${p.run ? ` [${p.run}]` : ''}?`, placeHolder: 'Compare one steady stretch of each side' });
  if (!choice) return undefined;
  if (!choice.custom) return choice.range ?? null;
  const text = await flow.ask({
    title: `${title}: time range`,
    prompt: `FROM:TO in seconds of the recording's own time (${whole}); FROM: or :TO leave an end open`,
    validate: (v) => {
      try {
        parseTimeRange(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  return text === undefined ? undefined : parseTimeRange(text);
}

function stateOf(fps: ReturnType<typeof fingerprint>[], model: Model): string[] {
  const engine = createInferenceEngine(model);
  return fps.map((f) => engine.next(f).state);
}

function majority(xs: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: string | undefined;
  for (const [k, v] of counts) if (best === undefined || v > counts.get(best)!) best = k;
  return best;
}

function fmt(x: number): string {
  return String(Math.round(x * 10) / 10);
}
