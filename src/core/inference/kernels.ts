import { KERNELS_WASM_BASE64 } from './kernelsWasm.ts';

/** The part of the WebAssembly API used here (the libraries this project compiles against do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { readonly exports: object };
};

/**
 * The searches' inner sums in WebAssembly (kernels.wat), two lanes at a time: the same
 * numbers as the TypeScript loops they stand for, several times faster. Each index gets an
 * instance with a memory of its own, laid out once (`alloc`); the TypeScript loops stay as
 * the fallback where WebAssembly is not available (e.g. a JIT-less runtime).
 */
export interface Kernels {
  /** The instance's memory as numbers; index = byte offset / 8. Valid until the next alloc. */
  f64: Float64Array;
  /** Byte offset of `count` fresh numbers (16-byte aligned, zeroed). */
  alloc(count: number): number;
  rangeBounds(lo: number, hi: number, x: number, s: number, out: number, pairs: number, d: number, cap: number): void;
  rowSums8(rows: number, x: number, s: number, out: number, d: number, cap: number): void;
  rowSums4(rows: number, x: number, s: number, out: number, d: number, cap: number): void;
  dots4(vecs: number, z: number, out: number, quads: number, d: number): void;
  /** The best-only nearest-prototype search of ScenarioIndex, whole (see scanBest in kernels.wat): the best label, or -1. */
  scanBest(bounds: number, runChunk: number, runStart: number, labels: number, chunks: number, z: number, inv: number, sums: number, runs: number, first: number, d: number, cap: number, n: number, slack: number, slop: number, b1: number, result: number): number;
}

interface Exports {
  mem: WasmMemory;
  rangeBounds: Kernels['rangeBounds'];
  rowSums8: Kernels['rowSums8'];
  rowSums4: Kernels['rowSums4'];
  dots4: Kernels['dots4'];
  scanBest: Kernels['scanBest'];
}

let module: WasmModule | null | undefined;
let enabled = true;

/** Turns the kernels off (or on again): for tests comparing both paths. */
export function setKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** A fresh instance, or null where WebAssembly (with SIMD) is not available or the kernels are off. */
export function createKernels(): Kernels | null {
  if (!enabled) return null;
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
    } catch {
      module = null;
    }
  }
  if (module === null) return null;
  const ex = new WebAssembly.Instance(module).exports as unknown as Exports;
  let top = 0;
  const k: Kernels = {
    f64: new Float64Array(ex.mem.buffer),
    alloc(count: number): number {
      const at = top;
      top = at + Math.ceil((count * 8) / 16) * 16;
      const pages = Math.ceil(top / 65536) - ex.mem.buffer.byteLength / 65536;
      if (pages > 0) ex.mem.grow(pages);
      k.f64 = new Float64Array(ex.mem.buffer);
      return at;
    },
    rangeBounds: ex.rangeBounds,
    rowSums8: ex.rowSums8,
    rowSums4: ex.rowSums4,
    dots4: ex.dots4,
    scanBest: ex.scanBest,
  };
  return k;
}
