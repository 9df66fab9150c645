import { fingerprint, type Fingerprint } from '../fingerprint/fingerprint.ts';
import { intervalPacketMetrics, type PacketMetrics } from '../fingerprint/packetMetrics.ts';
import { createInferenceEngine, type Inference, type InferenceEngine } from '../inference/engine.ts';
import type { Model } from '../model/model.ts';
import type { Interval } from '../perf/interval.ts';
import { toFrame } from '../ui/frames.ts';
import type { Frame } from '../../protocol.ts';
import { RingBuffer } from './ringBuffer.ts';

export interface StateChange {
  t: number;
  stream: string;
  from: string;
  to: string;
}

export interface PipelineStep {
  interval: Interval;
  fingerprint: Fingerprint;
  inference: Inference | null;
  /** Throughput, drops and cost per packet, when the interval carried the router's counters. */
  packets: PacketMetrics | null;
  frame: Frame;
}

/**
 * What every consumer of a session shares: interval -> fingerprint -> inference ->
 * panel frame, per stream, with the history the panels re-hydrate from kept in a ring
 * buffer. The CLI, the extension and the tests all run this one path.
 */
export class SessionPipeline {
  private engine: InferenceEngine | null;
  readonly frames: RingBuffer<Frame>;
  readonly stateChanges: RingBuffer<StateChange>;
  /** The newest inference per stream ('' for a single-stream session). */
  readonly latest = new Map<string, Inference>();
  /** The newest packet metrics per stream, for streams whose router counters are read. */
  readonly latestPackets = new Map<string, PacketMetrics>();
  private readonly history = new Map<string, RingBuffer<Inference>>();
  intervals = 0;

  constructor(
    private model: Model | null,
    capacity = 36_000,
  ) {
    this.engine = model ? createInferenceEngine(model) : null;
    this.frames = new RingBuffer<Frame>(capacity);
    this.stateChanges = new RingBuffer<StateChange>(1000);
  }

  /** Swaps the model; inference starts afresh (its causal state belongs to the old model). */
  setModel(model: Model | null): void {
    this.model = model;
    this.engine = model ? createInferenceEngine(model) : null;
  }

  get activeModel(): Model | null {
    return this.model;
  }

  push(iv: Interval): PipelineStep {
    const fp = fingerprint(iv);
    const inference = this.engine ? this.engine.next(fp, iv.packets) : null;
    const packets = intervalPacketMetrics(iv, fp);
    const frame = toFrame(fp, inference, { packets });
    if (iv.revision !== undefined) frame.revision = iv.revision;
    const stream = iv.stream ?? iv.run ?? '';
    if (packets) this.latestPackets.set(stream, packets);
    if (inference) {
      this.latest.set(stream, inference);
      let h = this.history.get(stream);
      if (!h) this.history.set(stream, (h = new RingBuffer<Inference>(60)));
      h.push(inference);
      if (inference.stateChange) this.stateChanges.push({ t: inference.stateChange.t, stream, from: inference.stateChange.from, to: inference.stateChange.to });
    }
    this.frames.push(frame);
    this.intervals++;
    return { interval: iv, fingerprint: fp, inference, packets, frame };
  }

  /** The newest packet metrics of a stream, else of the stream that reported last; undefined without router counters. */
  newestPackets(stream?: string): PacketMetrics | undefined {
    return (stream !== undefined ? this.latestPackets.get(stream) : undefined) ?? [...this.latestPackets.values()].pop();
  }

  /** The last inferences of a stream, oldest first (hover history). */
  recent(stream = ''): Inference[] {
    return this.history.get(stream)?.toArray() ?? [];
  }
}
