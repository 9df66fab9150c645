import { CHART_GROUPS } from '../../src/core/ui/chartGroups.ts';
import type { ModelView, PerfFacts, SessionInfo } from '../../src/protocol.ts';
import { AbCard } from './abCard.ts';
import { Cards } from './cards.ts';
import { Controls, type ControlHandlers, type ControlsState } from './controls.ts';
import { CostCard } from './costCard.ts';
import { emptyReason, pcaNote, similarityEmptyText } from './emptyTexts.ts';
import type { History } from './history.ts';
import { hostFacts } from './hostFacts.ts';
import { computedNotices } from './hostNotices.ts';
import { Notices } from './notices.ts';
import { PacketCard } from './packetCard.ts';
import { PanelLayout } from './panelLayout.ts';
import { PcaChart } from './pcaChart.ts';
import { SimilarityChart } from './similarityChart.ts';
import type { StreamHistory } from './streamHistory.ts';
import { markerLinesBetween, packetsAt, pcaTrail } from './streamReadouts.ts';
import type { Theme } from './theme.ts';
import { TimeSeriesChart } from './timeSeries.ts';
import type { ViewWindow } from './viewState.ts';

export interface WidgetHandlers extends ControlHandlers {
  /** The user picked the similarity chart's router group (null: follow the best match). */
  onGroup(group: string | null): void;
}

/** Everything one render draws from. */
export interface DrawInput {
  window: ViewWindow;
  history: History;
  streams: StreamHistory[];
  /** The stream the cards and the PCA/similarity charts follow. */
  selected: StreamHistory | undefined;
  group: string | null;
  session: SessionInfo | null;
  model: ModelView | null;
  perf: PerfFacts | null;
  theme: Theme;
  controls: ControlsState;
}

/**
 * The live panel's widgets (toolbar, notices, cards, charts) in their layout, and one
 * render: what each of them shows for the current view.
 */
export class PanelWidgets {
  readonly notices = new Notices();
  readonly cards = new Cards();
  readonly packetCard = new PacketCard();
  readonly abCard = new AbCard();
  readonly costCard = new CostCard();
  readonly controls: Controls;
  readonly timeSeries: TimeSeriesChart[];
  readonly pca: PcaChart;
  readonly similarity: SimilarityChart;
  readonly layout: PanelLayout;
  /** The scenario labels the similarity chart was last given (a new ring brings new ones). */
  private simLabels: readonly string[] | null = null;

  constructor(root: HTMLElement, theme: Theme, handlers: WidgetHandlers) {
    this.controls = new Controls(handlers);
    this.timeSeries = CHART_GROUPS.map((g) => new TimeSeriesChart(g, theme));
    this.pca = new PcaChart(theme);
    this.similarity = new SimilarityChart(theme, (group) => handlers.onGroup(group));
    this.layout = new PanelLayout(root, {
      controls: this.controls.root,
      notices: this.notices.root,
      abCard: this.abCard.root,
      packetCard: this.packetCard.root,
      costCard: this.costCard.root,
      cards: this.cards.root,
      timeSeries: this.timeSeries,
      pca: this.pca.root,
      similarity: this.similarity.root,
    });
  }

  /** A new session: its model, no host notices yet, and the similarity chart's scenarios to be set again. */
  setSession(session: SessionInfo, model: ModelView | null): void {
    this.simLabels = null;
    this.controls.setSession(session);
    this.notices.clearHost();
    this.pca.setModel(model);
  }

  setTheme(theme: Theme): void {
    for (const c of this.timeSeries) c.setTheme(theme);
    this.pca.setTheme(theme);
    this.similarity.setTheme(theme);
  }

  draw(d: DrawInput): void {
    const { window: w, history, streams, selected: sel, model } = d;
    const facts = hostFacts(streams, d.perf);
    this.layout.arrange(facts.noPmuLayout ? 'no-pmu' : 'normal');
    this.layout.showPackets(facts.packets);
    const markers = markerLinesBetween(streams, w.start, w.end, d.theme);
    for (const c of this.timeSeries) {
      // Charts out of sight are not drawn (an OS chart alone stays drawn: it is what counts).
      if (this.layout.isSetAside(c) || (c.group.id === 'cost' && !facts.packets)) continue;
      c.update({ start: w.start, end: w.end, streams, markers, emptyReason: emptyReason(c.group, facts, history.version > 0) });
    }

    const idx = sel ? sel.atOrBefore(w.end) : -1;
    const inference = sel && idx >= 0 ? sel.inferenceAt(idx, history.labels) : null;
    const missingNote = d.session && !model ? 'no model is active' : facts.noHardware && facts.hardwareMissing.length > 0 ? 'this host counts no hardware events, which the model needs' : '';
    const snapshot = history.similarities.atOrBefore(w.end, sel?.name);
    const comparable = snapshot !== null && snapshot.values.some((v) => !Number.isNaN(v));
    const routerPps = facts.packets && sel && idx >= 0 ? (packetsAt(sel, idx)?.pps ?? null) : null;
    this.cards.update({ inference, since: sel && idx >= 0 ? sel.stateSince(idx) : null, stream: streams.length > 1 && sel ? sel.name : null, missingNote, comparable, routerPps });
    if (facts.packets) this.packetCard.update(sel && idx >= 0 ? packetsAt(sel, idx) : null, sel?.newest?.packets?.source ?? null, streams.length > 1 && sel ? sel.name : null);

    this.pca.update(pcaTrail(sel, idx, w.start), pcaNote(model, inference, facts));

    const ring = history.similarities;
    if (this.simLabels !== ring.labels) {
      this.simLabels = ring.labels;
      this.similarity.setScenarios(ring.labels, model);
    }
    this.similarity.update(ring.atOrBefore(w.end, sel?.name), d.group, streams.length > 1, similarityEmptyText(model, history, facts));

    this.notices.setComputed(
      computedNotices(facts, { paranoid: d.perf?.paranoid ?? null, drawnStreams: history.streams.size, droppedStreams: history.droppedStreams, noModel: d.session !== null && model === null }),
    );
    this.controls.update(d.controls);
    const kept = streams.reduce((n, s) => n + s.size, 0);
    this.layout.setFooter(`${model ? `Model ${model.name} (${model.source})` : 'No model'} · ${kept} intervals kept${streams.length > 1 ? ` in ${streams.length} streams` : ''}`);
  }
}
