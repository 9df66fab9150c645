import { h, setHidden, setText } from './dom.ts';
import { duration, pct, seconds, signed } from './format.ts';
import type { InferenceAt } from './streamHistory.ts';
import { RateCard } from './rateCard.ts';

export interface CardsInput {
  /** Null before the first interval. */
  inference: InferenceAt | null;
  since: { t: number; fromChange: boolean } | null;
  /** Stream the cards follow, when the session has several. */
  stream: string | null;
  /** Why loss and scenario are unknown, when the host is missing their inputs. */
  missingNote: string;
  /** Whether this interval could be compared with the scenarios at all (its similarities exist). */
  comparable: boolean;
  /** The router's own packet rate of the interval, when its counters are read. */
  routerPps?: number | null;
}

interface Card {
  root: HTMLElement;
  value: HTMLElement;
  detail: HTMLElement;
}

/** What a known state rests on, as a note in the state card (nothing for the model's own rule). */
const BASIS: Record<NonNullable<InferenceAt['stateBasis']>, string> = {
  model: '',
  'run-levels': " · from the rise over this run's idle floor",
  'own-idle': " · from the rise over this router's own idle level",
  'router-counters': " · from the router's packet counters",
};

function card(title: string, live: boolean): Card {
  const value = h('div', { class: 'card-value', attrs: live ? { 'aria-live': 'polite' } : {} });
  const detail = h('div', { class: 'card-detail' });
  return { root: h('section', { class: 'card infer-card' }, [h('h3', { text: title }), value, detail]), value, detail };
}

/** The three answers of the paper, for the newest interval in view. */
export class Cards {
  readonly root: HTMLElement;
  readonly state = card('State', true);
  readonly loss = card('Loss regime', false);
  readonly scenario = card('Scenario', false);
  readonly rate = new RateCard();
  /** CPU-only state answers against the router's own counters; hidden without counters. */
  readonly agreement = h('div', { class: 'card-note agreement', attrs: { hidden: '' } });

  constructor() {
    this.root = h('div', { class: 'cards' }, [this.state.root, this.loss.root, this.scenario.root, this.rate.root]);
    this.state.root.append(this.agreement);
  }

  private showAgreement(a: InferenceAt['agreement']): void {
    setHidden(this.agreement, !a);
    if (!a) return;
    const answered = a.agree + a.disagree;
    const share = answered > 0 ? ` (${pct(a.agree / answered)})` : '';
    setText(this.agreement, `vs router counters: ${a.agree} agree, ${a.disagree} disagree${share}, ${a.abstained} CPU unknown`);
  }

  update(c: CardsInput): void {
    const inf = c.inference;
    this.rate.update(inf, c.routerPps ?? null);
    const where = c.stream !== null ? ` · ${c.stream || 'default'}` : '';
    if (!inf) {
      for (const k of [this.state, this.loss, this.scenario]) {
        setText(k.value, '–');
        setText(k.detail, 'waiting for the first interval');
        k.root.dataset['value'] = 'none';
      }
      return;
    }
    this.state.root.dataset['value'] = inf.state;
    setText(this.state.value, inf.state);
    const since = c.since ? (c.since.fromChange ? `since t = ${seconds(c.since.t)} (${duration(inf.t - c.since.t)})` : `since t = ${seconds(c.since.t)}, no change seen`) : '';
    if (inf.state === 'unknown' && c.missingNote) setText(this.state.detail, `cannot be judged: ${c.missingNote} · at t = ${seconds(inf.t)}${where}`);
    else if (inf.state === 'unknown' && inf.stateReason) setText(this.state.detail, `${inf.stateReason} · at t = ${seconds(inf.t)}${where}`);
    else setText(this.state.detail, `${since} · confidence ${pct(inf.stateConfidence)}${BASIS[inf.stateBasis ?? 'model']} · at t = ${seconds(inf.t)}${where}`);
    this.showAgreement(inf.agreement);

    this.loss.root.dataset['value'] = inf.loss;
    setText(this.loss.value, inf.loss);
    if (inf.loss === 'unknown' && inf.lossReason && !c.missingNote) setText(this.loss.detail, inf.lossReason);
    else if (inf.lossScore === null) setText(this.loss.detail, `no score${c.missingNote ? `: ${c.missingNote}` : ' (the model has no loss region or the interval lacks its events)'}`);
    else {
      const p = 1 / (1 + Math.exp(-inf.lossScore));
      const idle = inf.state === 'idle' ? ' · idle router: nothing to lose' : '';
      setText(this.loss.detail, `score ${signed(inf.lossScore)} (log-odds, > 0 lossy) · P(lossy) ${pct(p)}${idle}`);
    }

    this.scenario.root.dataset['value'] = inf.scenario === null ? 'unknown' : 'known';
    // "No match" only when the interval was compared with the scenarios; otherwise nothing was judged.
    const judged = inf.scenario !== null || (c.comparable && !c.missingNote);
    setText(this.scenario.value, inf.scenario ?? (judged ? 'no match' : 'unknown'));
    if (inf.scenario === null) {
      if (c.missingNote) setText(this.scenario.detail, `cannot be judged: ${c.missingNote}`);
      else if (!c.comparable) setText(this.scenario.detail, "cannot be judged: the interval lacks too many of the events the scenarios are described by");
      else setText(this.scenario.detail, inf.state === 'idle' ? 'idle router: no traffic to match' : (inf.scenarioReason ?? 'compared, but no calibrated scenario is close to this fingerprint'));
    }
    else {
      const runner = inf.runnerUp !== null ? ` · runner-up ${inf.runnerUp} (${(inf.runnerUpSimilarity ?? NaN).toFixed(2)})` : '';
      const margin = inf.margin !== null ? ` · margin ${inf.margin.toFixed(2)}` : '';
      setText(this.scenario.detail, `similarity ${(inf.similarity ?? NaN).toFixed(2)}${runner}${margin}`);
    }
  }
}
