import { closeSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A file VNF Lens would write cannot or must not be written; the message says why and what to do. */
export class OutputFileError extends Error {}

export interface OutputCheck {
  /** For messages: `report`, `model`, `recording`. */
  what: string;
  /** Files the command reads: the output may never be one of them, even with force. */
  inputs?: readonly string[];
  /** Replace an existing file (`--force`). */
  force?: boolean;
}

/**
 * Checks an output path before any work is done: not one of the inputs, not an
 * existing file unless forced, and in a folder where a file can be created (a
 * read-only or missing folder is reported now, not after minutes of work).
 */
export function checkOutputFile(out: string, check: OutputCheck): void {
  const target = statOrUndefined(out);
  if (target) {
    if (target.isDirectory()) throw new OutputFileError(`${check.what} ${out} is a folder; give a file name`);
    for (const input of check.inputs ?? []) {
      const s = statOrUndefined(input);
      if (resolve(input) === resolve(out) || (s !== undefined && s.dev === target.dev && s.ino === target.ino)) {
        throw new OutputFileError(`${check.what} ${out} is also an input (${input}); write the ${check.what} to another file`);
      }
    }
    if (!check.force) throw new OutputFileError(`${out} already exists; add --force to replace it, or choose another --out`);
  }
  checkFolderWritable(out, check.what);
}

/** Creates a file in the output's folder and removes it again: exactly the test the real write will face. */
export function checkFolderWritable(out: string, what: string): void {
  const dir = dirname(resolve(out));
  const probe = join(dir, `.${basename(out)}.${process.pid}.check`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'the folder does not exist' : err.code === 'EROFS' ? 'the folder is on a read-only file system' : err.code === 'EACCES' || err.code === 'EPERM' ? 'the folder is not writable for you' : err.message;
    throw new OutputFileError(`cannot write the ${what} ${out}: ${why} (${dir})`);
  }
}

/**
 * Writes an output checked with checkOutputFile. Without force the file is created
 * exclusively (a file that appeared meanwhile is kept); with force the text goes to a
 * temporary file that then replaces the old one, so a failed write loses nothing.
 */
export function writeOutputFile(out: string, text: string, check: OutputCheck): void {
  checkOutputFile(out, check);
  if (!check.force) {
    try {
      writeFileSync(out, text, { flag: 'wx' });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') throw new OutputFileError(`${out} already exists; add --force to replace it, or choose another --out`);
      throw new OutputFileError(`cannot write the ${check.what} ${out}: ${err.message}`);
    }
    return;
  }
  const tmp = join(dirname(resolve(out)), `.${basename(out)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new OutputFileError(`cannot write the ${check.what} ${out}: ${(e as Error).message}`);
  }
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
