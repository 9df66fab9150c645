import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root (the folder holding package.json). */
export const repoRoot = resolve(__dirname, '..', '..');

/** The shared reference datasets live beside the repository, never inside it. */
export const datasetsDir = resolve(repoRoot, '..', 'shared', 'datasets');

export function dataset(...parts: string[]): string {
  const p = resolve(datasetsDir, ...parts);
  if (!existsSync(p)) throw new Error(`reference data ${p} is missing: the tests expect ../shared/datasets beside the repository`);
  return p;
}
