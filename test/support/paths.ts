import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared reference datasets live beside the repository, never inside it. */
export const datasetsDir = resolve(repoRoot, '..', 'shared', 'datasets');

export function dataset(...parts: string[]): string {
  const p = resolve(datasetsDir, ...parts);
  if (!existsSync(p)) throw new Error(`reference data ${p} is missing: the tests expect ../shared/datasets beside the repository`);
  return p;
}
