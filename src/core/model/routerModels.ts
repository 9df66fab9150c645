import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadModel } from './load.ts';
import type { Model } from './model.ts';

/**
 * Models taught per router and host, one JSON file each in a folder (the
 * extension's storage): `<host>__<router>.model.json`.
 */
export class RouterModels {
  constructor(private readonly dir: string) {}

  pathOf(key: string): string {
    return path.join(this.dir, `${key}.model.json`);
  }

  /** The taught model of this router, or undefined when it has none. A broken file is an error naming it. */
  async find(key: string): Promise<Model | undefined> {
    const file = this.pathOf(key);
    return existsSync(file) ? loadModel(file) : undefined;
  }

  /** Writes atomically: a reader never sees half a model. */
  async save(key: string, model: Model): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = this.pathOf(key);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(model) + '\n');
    await rename(tmp, file);
    return file;
  }
}
