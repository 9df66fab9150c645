import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { remoteCommandLine, shQuote } from '../../../src/core/host/shellQuote.ts';

/** What a remote login shell does with the command line ssh hands it: `sh -c LINE`. */
async function throughShell(argv: string[]): Promise<string[]> {
  const { execa } = await loadExeca();
  const r = await execa('sh', ['-c', remoteCommandLine(['printf', '%s\\0', ...argv])], { stripFinalNewline: false });
  const parts = r.stdout.split('\0');
  parts.pop();
  return parts;
}

test('every argument reaches the program unchanged through sh -c, whatever it contains', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', '')), { minLength: 1, maxLength: 6 }), async (args) => {
      assert.deepEqual(await throughShell(args), args);
    }),
    { numRuns: 150 },
  );
});

test('shell syntax is inert: substitutions, separators, quotes, newlines, globs', async () => {
  const hostile = ["'; echo owned; '", '$(echo owned)', '`echo owned`', 'a\nb', '"', "'", '\\', '*', '~', '$HOME', '-e', '', ' spaced  out '];
  assert.deepEqual(await throughShell(hostile), hostile);
  assert.equal(shQuote("it's"), `'it'\\''s'`);
  assert.throws(() => shQuote('a\0b'), /NUL/);
});
