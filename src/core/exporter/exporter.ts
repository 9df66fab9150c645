import { fingerprint } from '../fingerprint/fingerprint.ts';
import { intervalPacketMetrics } from '../fingerprint/packetMetrics.ts';
import { type InferenceEngine, createInferenceEngine } from '../inference/engine.ts';
import type { Model } from '../model/model.ts';
import type { Registry, RegistryContentType } from 'prom-client';
import { type FleetView, type HostHealth, type ReconnectCause, type RouterReading, newHostHealth } from './fleetState.ts';
import { type Exposition, ExpositionCache } from './exposition.ts';
import { createRegistry } from './metrics.ts';
import { type RouterSource, routerKey } from './routerSource.ts';

export interface ExporterOptions {
  /** Model for state, loss regime and scenario; null exports counters only. */
  model: Model | null;
  /** Routers exported at most at once: bounds series and memory whatever the patterns match. */
  maxRouters?: number;
  /** Things worth a line in the log (attach, detach, notices). */
  log?: (message: string) => void;
  /** Include the process_* / nodejs_* metrics of the exporter itself (default true). */
  processMetrics?: boolean;
  /** How often the exposition is rebuilt ahead of the scrapes, in ms (default 1000). */
  refreshMs?: number;
}

interface Entry extends RouterReading {
  engine: InferenceEngine | null;
}

export const DEFAULT_MAX_ROUTERS = 256;

/**
 * The fleet as the metrics see it: every attached router's newest reading, and
 * health counts per host. Sources come and go; a source that ends takes its series
 * with it. Readings go interval -> fingerprint -> inference, one engine per router.
 */
export class Exporter implements FleetView {
  readonly routers = new Map<string, Entry>();
  readonly hosts = new Map<string, HostHealth>();
  /** Prometheus text (0.0.4) and OpenMetrics, built from the same readings. */
  readonly registries: { prometheus: Registry<RegistryContentType>; openMetrics: Registry<RegistryContentType> };
  /** What scrapes are answered from: built ahead, shared by concurrent requests. */
  readonly expositions: { prometheus: ExpositionCache; openMetrics: ExpositionCache };
  private readonly opts: ExporterOptions;
  private readonly maxRouters: number;

  constructor(opts: ExporterOptions) {
    this.opts = opts;
    this.maxRouters = opts.maxRouters ?? DEFAULT_MAX_ROUTERS;
    const processMetrics = opts.processMetrics ?? true;
    this.registries = { prometheus: createRegistry(this, { openMetrics: false, processMetrics }), openMetrics: createRegistry(this, { openMetrics: true, processMetrics }) };
    const refreshMs = opts.refreshMs ?? 1000;
    this.expositions = { prometheus: new ExpositionCache(this.registries.prometheus, { refreshMs }), openMetrics: new ExpositionCache(this.registries.openMetrics, { refreshMs }) };
  }

  /** A host shows in the health metrics (with zeros) from the start, not only once something happens. */
  host(name: string): HostHealth {
    let h = this.hosts.get(name);
    if (!h) this.hosts.set(name, (h = newHostHealth()));
    return h;
  }

  get size(): number {
    return this.routers.size;
  }

  /**
   * Starts exporting a source (it is started by the caller). False when the router
   * limit is reached or the same router is exported already; the source is then not used.
   */
  add(source: RouterSource): boolean {
    const key = routerKey(source.labels);
    const host = this.host(source.labels.host);
    if (this.routers.has(key)) return false;
    if (this.routers.size >= this.maxRouters) {
      host.attachFailures++;
      this.log(`not exporting ${describe(source)}: ${this.maxRouters} routers are exported already (--max-routers)`);
      return false;
    }
    const entry: Entry = {
      labels: source.labels,
      source,
      intervals: 0,
      attachedAt: Date.now(),
      lastAt: undefined,
      fingerprint: undefined,
      inference: null,
      packets: null,
      packetTotals: undefined,
      engine: this.opts.model ? createInferenceEngine(this.opts.model) : null,
    };
    this.routers.set(key, entry);
    this.fleetChanged();
    host.attaches++;
    source.on('interval', (iv) => {
      const fp = fingerprint(iv);
      entry.fingerprint = fp;
      entry.inference = entry.engine ? entry.engine.next(fp, iv.packets) : null;
      entry.packets = intervalPacketMetrics(iv, fp);
      if (entry.packets && iv.packets) {
        const t = (entry.packetTotals ??= { rx: 0, tx: 0, dropped: 0 });
        t.rx += iv.packets.rx;
        t.tx += iv.packets.tx;
        t.dropped += iv.packets.dropped;
      }
      entry.intervals++;
      entry.lastAt = Date.now();
    });
    source.on('reconnect', () => this.countReconnect(source.labels.host, 'connection'));
    source.on('parseError', (m) => {
      host.parseErrors++;
      this.log(`${describe(source)}: ${m}`);
    });
    source.on('notice', (m) => this.log(`${describe(source)}: ${m}`));
    source.on('end', (e) => {
      // Only this source's entry: a router re-attached under the same labels keeps its own.
      if (this.routers.get(key) === entry) {
        this.routers.delete(key);
        this.fleetChanged();
      }
      this.log(`${describe(source)} detached: ${e.reason}`);
    });
    return true;
  }

  countReconnect(host: string, cause: ReconnectCause): void {
    this.host(host).reconnects[cause]++;
  }

  countAttachFailure(host: string): void {
    this.host(host).attachFailures++;
  }

  /** Ends every source (live sessions stop their perf) and forgets them. */
  async stopAll(): Promise<void> {
    const sources = [...this.routers.values()].map((e) => e.source);
    await Promise.allSettled(sources.map((s) => s.stop()));
    this.routers.clear();
    this.fleetChanged();
    this.expositions.prometheus.stop();
    this.expositions.openMetrics.stop();
  }

  /** The exposition for a scrape: OpenMetrics when the scraper accepts it, else Prometheus text. */
  scrape(accept: string | undefined): Promise<Exposition> {
    return (accept !== undefined && accept.includes('application/openmetrics-text') ? this.expositions.openMetrics : this.expositions.prometheus).get();
  }

  private fleetChanged(): void {
    this.expositions.prometheus.invalidate();
    this.expositions.openMetrics.invalidate();
  }

  private log(m: string): void {
    this.opts.log?.(m);
  }
}

export function describe(s: RouterSource): string {
  const l = s.labels;
  return `${l.comm} (pid ${l.pid}, ${l.router}) on ${l.host}`;
}
