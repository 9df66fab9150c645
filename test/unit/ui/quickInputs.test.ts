import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/paths.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// A quick input opened right after the palette closes over a webview loses the focus to
// that webview; only quickInput.ts opens them, always with ignoreFocusOut.
test('every quick pick and input box of the extension is opened through commands/quickInput.ts', () => {
  const direct = /vscode\.window\.(showQuickPick|showInputBox|createQuickPick|createInputBox)\b/;
  const offenders = files(join(repoRoot, 'src', 'extension'))
    .filter((f) => !f.endsWith(join('commands', 'quickInput.ts')))
    .filter((f) => direct.test(readFileSync(f, 'utf8')))
    .map((f) => relative(repoRoot, f));
  assert.deepEqual(offenders, []);
  const helper = readFileSync(join(repoRoot, 'src', 'extension', 'commands', 'quickInput.ts'), 'utf8');
  assert.equal((helper.match(/vscode\.window\.(showQuickPick|showInputBox|createQuickPick)[<(]/g) ?? []).length, 4);
  // The two quick picks take their options through held(), which sets it; the input box and the picker set it themselves.
  assert.equal((helper.match(/showQuickPick\(items, held\(options\)\)/g) ?? []).length, 2);
  assert.match(helper, /function held\(.*\n\s*return \{ \.\.\.options, ignoreFocusOut: true/);
  assert.equal((helper.match(/ignoreFocusOut(: | = )true/g) ?? []).length, 3);
});
