import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders of a test file, removed when its process exits (each test
 * file runs in a process of its own), however its tests ended: a full run leaves
 * nothing in /tmp.
 */
const made: string[] = [];
let hooked = false;

export function tempDirSync(prefix: string): string {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function tempDir(prefix: string): Promise<string> {
  return tempDirSync(prefix);
}
