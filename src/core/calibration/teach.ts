import type { Model } from '../model/model.ts';
import { withDefaultParts } from '../model/modelGaps.ts';
import type { Interval } from '../perf/interval.ts';
import { buildModel, type CalibrateOptions } from './calibrate.ts';
import { samplesFromCounters } from './counterSamples.ts';
import type { Sample } from './samples.ts';

/** Intervals of each state the router's counters must have shown before a session can teach its router. */
export const TEACH_MIN_PER_STATE = 10;

/**
 * Collects a live session's intervals that carry the router's packet counters,
 * labelled by them, to teach VNF Lens this router. Bounded: the oldest go first.
 */
export class TeachCollector {
  private readonly kept: Interval[] = [];
  readonly counts = { idle: 0, processing: 0 };
  private announced = false;

  constructor(private readonly max = 7200) {}

  /** True once, on the interval where both states have been seen often enough. */
  push(iv: Interval): boolean {
    if (!iv.packets) return false;
    this.kept.push(iv);
    if (iv.packets.rx > 0) this.counts.processing++;
    else this.counts.idle++;
    if (this.kept.length > this.max) {
      const old = this.kept.shift()!;
      if (old.packets!.rx > 0) this.counts.processing--;
      else this.counts.idle--;
    }
    if (!this.announced && this.ready) {
      this.announced = true;
      return true;
    }
    return false;
  }

  get ready(): boolean {
    return this.counts.idle >= TEACH_MIN_PER_STATE && this.counts.processing >= TEACH_MIN_PER_STATE;
  }

  samples(source: string): Sample[] {
    return samplesFromCounters(this.kept, source);
  }
}

/**
 * A model of this router from its own labelled intervals. Loss regime and
 * scenarios come from `fallback` when the router's intervals label no loss
 * (nothing lossy yet) and name no scenarios.
 */
export function teachModel(samples: Sample[], fallback: Model, opts: CalibrateOptions & { name: string }): Model {
  const own = buildModel({ samples, recordings: [] }, { ...opts, stateFallback: fallback.state });
  return withDefaultParts(own, fallback).model;
}

/** A file name for a router on a host: `host__router`, with anything unsafe replaced. */
export function routerModelName(host: string, cmdline: string): string {
  const exe = (cmdline.trim().split(/\s+/)[0] ?? 'router').split('/').pop() || 'router';
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || '_';
  return `${clean(host)}__${clean(exe)}`;
}
