import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (an argv, no shell) and gives its exit code and output, a failure's included. */
export async function runCaptured(file: string, args: readonly string[], opts: { cwd?: string } = {}): Promise<Captured> {
  try {
    const { stdout, stderr } = await run(file, [...args], { maxBuffer: 64 << 20, ...opts });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as Captured;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
