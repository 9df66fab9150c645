import type { Model } from './model.ts';

/** Below this many labelled intervals a model's levels and spreads are rough. */
export const FEW_INTERVALS = 60;

export interface ModelGaps {
  /** What the model cannot answer, or answers only roughly, each with the reason. */
  lacks: string[];
  /** True when a user should be asked before the model replaces the current one. */
  worthAsking: boolean;
}

/** What a calibrated model lacks, from its own parts and provenance counts. */
export function modelGaps(m: Model): ModelGaps {
  const c = m.provenance.counts;
  const lacks: string[] = [];
  const states = Object.keys(c.state).filter((k) => (c.state[k] ?? 0) > 0);
  const losses = Object.keys(c.loss).filter((k) => (c.loss[k] ?? 0) > 0);
  if (states.length < 2) {
    lacks.push(states.length === 0 ? 'its own state detector: no interval is labelled idle or processing (the default detector is used)' : `its own state detector: every state label is "${states[0]}" (the default detector is used)`);
  }
  if (!m.loss) lacks.push(losses.length === 0 ? 'a loss regime: no interval is labelled lossy or clean' : `a loss regime: every loss label is "${losses[0]}"`);
  if (!m.scenarios) lacks.push(c.scenarios === 1 ? 'traffic scenarios: only one scenario is labelled (at least two are needed to tell them apart)' : 'traffic scenarios: no scenario is labelled');
  const few = c.intervals < FEW_INTERVALS;
  if (few) lacks.push(`enough data: ${c.intervals} labelled interval${c.intervals === 1 ? '' : 's'} (at least ${FEW_INTERVALS} give steadier levels)`);
  const oneClass = states.length < 2 && losses.length < 2 && (m.scenarios?.labels.length ?? c.scenarios) < 2;
  return { lacks, worthAsking: few || oneClass || !m.loss || !m.scenarios };
}

/**
 * A user's model with what it lacks taken from the default: when it has neither loss
 * regime nor scenarios, their feature space, loss region and scenarios come from the
 * default model and its own state detector stays. Returns the parts borrowed.
 * A model missing only one of the two keeps its own feature space (the two parts share
 * it), and the missing part answers unknown.
 */
export function withDefaultParts(user: Model, fallback: Model): { model: Model; borrowed: string[] } {
  if (user.loss || user.scenarios) return { model: user, borrowed: [] };
  const borrowed: string[] = [];
  if (fallback.loss) borrowed.push('loss regime');
  if (fallback.scenarios) borrowed.push('scenarios');
  if (borrowed.length === 0) return { model: user, borrowed };
  return { model: { ...user, features: fallback.features, loss: fallback.loss, scenarios: fallback.scenarios }, borrowed };
}
