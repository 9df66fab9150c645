import type { Registry, RegistryContentType } from 'prom-client';

export interface Exposition {
  contentType: string;
  body: string;
}

export interface ExpositionCacheOptions {
  /** How often the text is rebuilt in the background while scrapers come (ms). */
  refreshMs: number;
  /** Background rebuilds stop after this long without a scrape (ms). */
  idleAfterMs?: number;
}

/**
 * One registry's exposition, built ahead of the scrapes: a background rebuild every
 * `refreshMs` while someone scrapes, so a scrape is answered from text that is ready
 * (at most 1.5 refreshes old) instead of waiting on a build; the rebuilds keep half
 * a period away from the scrapes. Every scrape that has to
 * wait shares the one build in flight, so concurrent or pipelined requests cost one
 * build, not one each. A change of the fleet (a router added or gone) is never served
 * stale: `invalidate()` makes the next scrape wait for a fresh build.
 */
export class ExpositionCache {
  private text: string | undefined;
  private builtAt = 0;
  private builtGeneration = -1;
  private generation = 0;
  private building: Promise<string> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastScrape = 0;
  /** The scrapers' pace (ms between scrapes, smoothed). */
  private scrapeGap: number | undefined;
  /** Builds done and the milliseconds they took: benchmarks and tests read them. */
  builds = 0;
  buildMs = 0;

  constructor(
    private readonly registry: Registry<RegistryContentType>,
    private readonly opts: ExpositionCacheOptions,
  ) {}

  async get(): Promise<Exposition> {
    const now = Date.now();
    const gap = now - this.lastScrape;
    // Requests a few ms apart are one scrape (concurrent or pipelined), not a pace.
    if (this.lastScrape > 0 && gap > 5) this.scrapeGap = this.scrapeGap === undefined ? gap : 0.7 * this.scrapeGap + 0.3 * gap;
    this.lastScrape = now;
    const fresh = this.text !== undefined && this.builtGeneration === this.generation && now - this.builtAt <= this.opts.refreshMs * 1.5;
    const body = fresh ? this.text! : await this.build();
    this.keepFresh();
    return { contentType: this.registry.contentType, body };
  }

  /** The fleet changed: the next scrape gets a fresh build. */
  invalidate(): void {
    this.generation++;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private build(): Promise<string> {
    if (this.building) return this.building;
    const generation = this.generation;
    const started = performance.now();
    const p = this.registry
      .metrics()
      .then((text) => {
        this.text = text;
        this.builtAt = Date.now();
        this.builtGeneration = generation;
        this.builds++;
        this.buildMs += performance.now() - started;
        return text;
      })
      .finally(() => {
        if (this.building === p) this.building = undefined;
      });
    this.building = p;
    return p;
  }

  /**
   * Rebuilds about every `refreshMs`, placed between the scrapes: half a scrape gap
   * after a scrape for scrapers faster than that, else half a period before the next
   * scrape is due. A scraper at a steady pace (Prometheus) then finds the text ready
   * and no build running.
   */
  private keepFresh(): void {
    clearTimeout(this.timer);
    const refresh = this.opts.refreshMs;
    const tick = () => {
      if (Date.now() - this.lastScrape > (this.opts.idleAfterMs ?? 300_000)) {
        // Nobody scrapes: stop working and drop the text.
        this.stop();
        this.text = undefined;
        return;
      }
      if (Date.now() - this.builtAt >= refresh / 2 || this.builtGeneration !== this.generation) void this.build().catch(() => undefined);
      this.timer = setTimeout(tick, refresh);
      this.timer.unref();
    };
    const gap = this.scrapeGap ?? refresh;
    this.timer = setTimeout(tick, gap <= refresh ? gap / 2 : gap - refresh / 2);
    this.timer.unref();
  }
}
