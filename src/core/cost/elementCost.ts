import type { PerfSample } from './perfSamples.ts';
import { classOfSymbol } from './symbolClass.ts';

/** An element declared in the router's config: `rt :: IPLookup(…)` is `{ name: 'rt', className: 'IPLookup' }`. */
export interface ConfigElement {
  name: string;
  className: string;
}

export interface ClassCost {
  className: string;
  samples: number;
  /** Of all the process's samples in the window, 0..1. */
  share: number;
  /** CPU time the samples stand for (sum of their cpu-clock periods). */
  cpuNs: number;
  /** The config's elements of this class (empty for a class the config does not name). */
  elements: string[];
}

export interface ElementCost {
  element: string;
  className: string;
  /** The share of its class: samples cannot tell apart elements of one class. */
  share: number;
  cpuNs: number;
  /** The other elements of the same class, which this share includes. */
  sharedWith: string[];
}

export interface ModuleCost {
  dso: string;
  samples: number;
  share: number;
  /** Share of this module's samples perf found no symbol for. */
  unknownSymbols: number;
}

export interface ElementCostReport {
  samples: number;
  cpuNs: number;
  /** Per class named in the config (config order), then the other classes seen, by share. */
  classes: ClassCost[];
  elements: ElementCost[];
  /** Samples in no class of the config: the busiest functions there. */
  outside: { samples: number; share: number; top: { name: string; share: number }[] };
  /** By the module of the innermost frame (where the CPU was). */
  modules: ModuleCost[];
  /** Set when the router's executable has no symbols: then only `modules` means something. */
  stripped?: { dso: string; note: string };
}

export interface AttributeOptions {
  /** The router's executable (`/proc/PID/exe`), to tell whether it is stripped. */
  executable?: string;
  /** Whether the executable lacks a `.symtab` (from its section headers); undefined when that could not be read. */
  executableStripped?: boolean;
}

/**
 * Attributes samples to the config's element classes: each sample goes to the
 * innermost frame of its call chain whose C++ class is one of the config's (so
 * a library call made by an element, memcpy or a syscall, counts for that
 * element, and an element pushing into the next one counts for the next). Without
 * config classes, the innermost frame with any class wins.
 */
export function attributeSamples(samples: readonly PerfSample[], elements: readonly ConfigElement[], opts: AttributeOptions = {}): ElementCostReport {
  const configClasses = new Map<string, string[]>();
  for (const e of elements) configClasses.set(e.className, [...(configClasses.get(e.className) ?? []), e.name]);
  const byClass = new Map<string, { samples: number; ns: number }>();
  const outside = new Map<string, number>();
  const modules = new Map<string, { samples: number; unknown: number }>();
  let outsideCount = 0;
  let totalNs = 0;
  for (const s of samples) {
    totalNs += s.periodNs;
    const leaf = s.frames[0];
    const m = modules.get(leaf?.dso ?? '[unknown]') ?? { samples: 0, unknown: 0 };
    m.samples++;
    if (!leaf?.symbol) m.unknown++;
    modules.set(leaf?.dso ?? '[unknown]', m);
    const cls = classOf(s, configClasses);
    if (cls !== undefined) {
      const c = byClass.get(cls) ?? { samples: 0, ns: 0 };
      c.samples++;
      c.ns += s.periodNs;
      byClass.set(cls, c);
    } else {
      outsideCount++;
      const name = leaf?.symbol ?? `[${basename(leaf?.dso ?? 'unknown')}]`;
      outside.set(name, (outside.get(name) ?? 0) + 1);
    }
  }
  const n = samples.length;
  const share = (k: number) => (n > 0 ? k / n : 0);
  const classes: ClassCost[] = [];
  for (const [className, names] of configClasses) {
    const c = byClass.get(className);
    classes.push({ className, samples: c?.samples ?? 0, share: share(c?.samples ?? 0), cpuNs: c?.ns ?? 0, elements: names });
  }
  const others = [...byClass].filter(([k]) => !configClasses.has(k)).sort((a, b) => b[1].samples - a[1].samples);
  for (const [className, c] of others) classes.push({ className, samples: c.samples, share: share(c.samples), cpuNs: c.ns, elements: [] });
  const elementCosts: ElementCost[] = elements.map((e) => {
    const c = classes.find((k) => k.className === e.className)!;
    return { element: e.name, className: e.className, share: c.share, cpuNs: c.cpuNs, sharedWith: c.elements.filter((x) => x !== e.name) };
  });
  const report: ElementCostReport = {
    samples: n,
    cpuNs: totalNs,
    classes,
    elements: elementCosts,
    outside: {
      samples: outsideCount,
      share: share(outsideCount),
      top: [...outside].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, k]) => ({ name, share: share(k) })),
    },
    modules: [...modules].map(([dso, m]) => ({ dso, samples: m.samples, share: share(m.samples), unknownSymbols: m.samples > 0 ? m.unknown / m.samples : 0 })).sort((a, b) => b.samples - a.samples),
  };
  const stripped = strippedExecutable(report.modules, opts);
  if (stripped) report.stripped = stripped;
  return report;
}

function classOf(s: PerfSample, configClasses: Map<string, string[]>): string | undefined {
  let anyClass: string | undefined;
  for (const f of s.frames) {
    if (!f.symbol) continue;
    const cls = classOfSymbol(f.symbol);
    if (cls === undefined) continue;
    if (configClasses.has(cls)) return cls;
    anyClass ??= cls;
  }
  return configClasses.size === 0 ? anyClass : undefined;
}

/**
 * The executable is stripped when its section headers have no `.symtab`; where they
 * could not be read, when perf found a symbol for fewer than half of the samples that
 * landed in it (a stripped PIE still has a few dynamic symbols).
 */
function strippedExecutable(modules: readonly ModuleCost[], opts: AttributeOptions): ElementCostReport['stripped'] {
  const executable = opts.executable;
  if (executable === undefined || opts.executableStripped === false) return undefined;
  const exe = modules.find((m) => m.dso === executable || basename(m.dso) === basename(executable));
  if (opts.executableStripped !== true && (!exe || exe.samples < 5 || exe.unknownSymbols < 0.5)) return undefined;
  const inExe = exe ? `; ${Math.round(exe.share * 100)} % of the samples were in it` : '';
  return {
    dso: exe?.dso ?? executable,
    note: `${basename(executable)} has no symbol table (stripped)${inExe}: the cost is shown per library/module; keep its symbols (build with -g, do not strip) for the cost per element`,
  };
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
