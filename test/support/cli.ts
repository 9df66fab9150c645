import path from 'node:path';
import { repoRoot } from './paths.ts';
import { runCaptured, type Captured } from './runCaptured.ts';

/** The CLI's entry in the sources: tests run it through tsx, so no build is needed first. */
export const cliEntry = path.join(repoRoot, 'src', 'cli', 'bin.ts');

/** node's arguments that run `vnf-lens ARGS` from the sources (for execa or spawn of process.execPath). */
export function cliArgs(args: readonly string[]): string[] {
  return ['--import', 'tsx', cliEntry, ...args];
}

/** Runs `vnf-lens ARGS` from the repository root to its end: exit code and output, a failure's included. */
export function runCli(args: readonly string[]): Promise<Captured> {
  return runCaptured(process.execPath, cliArgs(args), { cwd: repoRoot });
}
