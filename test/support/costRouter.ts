import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseClickConfig } from '../../src/core/config/click/clickParser.ts';
import { clickElementsForCost } from '../../src/core/cost/configElements.ts';
import type { ConfigElement } from '../../src/core/cost/elementCost.ts';
import { loadExeca } from '../../src/core/host/exec.ts';
import { killQuietly, track } from './cleanup.ts';
import { repoRoot } from './paths.ts';

export const COST_ROUTER_SOURCE = join(repoRoot, 'scripts', 'lab', 'cost-router.cpp');
export const COST_ROUTER_CONFIG = join(repoRoot, 'scripts', 'lab', 'cost-router.click');
/** The work each class does per packet in cost-router.cpp, as shares of the router's CPU. */
export const TRUE_SHARES: Record<string, number> = { RadixIPLookup: 0.6, Classifier: 0.3, Counter: 0.1 };

export interface CostRouter {
  pid: number;
  binary: string;
  elements: ConfigElement[];
  stop(): Promise<void>;
}

/** Builds the lab router with g++ (-O1 -g -fno-omit-frame-pointer, as a FastClick debug build) and starts it, busy forever. */
export async function startCostRouter(opts: { config?: string; args?: string[] } = {}): Promise<CostRouter> {
  const { execa } = await loadExeca();
  const dir = mkdtempSync(join(tmpdir(), 'vnflens-cost-'));
  const untrackDir = track(`cost router folder ${dir}`, () => rmSync(dir, { recursive: true, force: true }), { kind: 'path', path: dir });
  const binary = join(dir, 'click-cost-lab');
  await execa('g++', ['-O1', '-g', '-fno-omit-frame-pointer', '-pthread', '-o', binary, COST_ROUTER_SOURCE]);
  const config = opts.config ?? COST_ROUTER_CONFIG;
  const sub = execa(binary, [...(opts.args ?? []), config], { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
  const pid = sub.pid!;
  const untrack = track(`cost router ${pid}`, () => killQuietly(pid), { kind: 'process', pid });
  const elements = clickElementsForCost(parseClickConfig(readFileSync(config, 'utf8')));
  return {
    pid,
    binary,
    elements,
    async stop() {
      killQuietly(pid);
      await sub;
      untrack();
      rmSync(dir, { recursive: true, force: true });
      untrackDir();
    },
  };
}
