import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ImportEdge, importCycles, importGraph } from '../support/importGraph.ts';

// The floors of src/core and their rule are written down in ARCHITECTURE.md; this file enforces them.

const graph = importGraph('src', 'webview');
const core = new Map([...graph].filter(([f]) => f.startsWith('src/core/')));

/** `src/core/host` for `src/core/host/sshHost.ts`. */
const folderOf = (file: string) => file.split('/').slice(0, 3).join('/');

/** Every arrow `from -> to` whose files match. */
function arrows(from: (f: string) => boolean, bad: (e: ImportEdge, from: string) => boolean): string[] {
  const out: string[] = [];
  for (const [f, edges] of graph) if (from(f)) for (const e of edges) if (bad(e, f)) out.push(`${f} -> ${e.target ?? e.specifier}`);
  return out;
}

test('the import graph is read (a guard against a reader that finds nothing and so passes everything)', () => {
  assert.ok(core.size > 100, `only ${core.size} files under src/core`);
  const session = graph.get('src/core/live/session.ts');
  assert.ok(session?.some((e) => e.target?.startsWith('src/core/host/')), 'live/session.ts imports the host floor');
  assert.ok(graph.get('src/extension/main.ts')?.some((e) => e.specifier === 'vscode'), 'the extension imports vscode');
});

test('the cycle finder finds a cycle, a self-import, and none in a chain', () => {
  const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([f, to]) => [f, to.map((t) => ({ specifier: t, target: t }))]));
  assert.deepEqual(importCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })), [['a', 'b', 'c']]);
  assert.deepEqual(importCycles(g({ a: ['a'], b: [] })), [['a']]);
  assert.deepEqual(importCycles(g({ a: ['b'], b: ['c'], c: [] })), []);
});

test('nothing in src/core imports vscode, src/extension or src/cli', () => {
  assert.deepEqual(
    arrows(
      (f) => f.startsWith('src/core/'),
      (e) => e.specifier === 'vscode' || /^src\/(extension|cli)\//.test(e.target ?? ''),
    ),
    [],
  );
});

test('the CLI never imports the extension', () => {
  assert.deepEqual(
    arrows(
      (f) => f.startsWith('src/cli/'),
      (e) => e.specifier === 'vscode' || (e.target ?? '').startsWith('src/extension/'),
    ),
    [],
  );
});

test('host/ is the floor: it imports no other folder of src/core', () => {
  assert.deepEqual(
    arrows(
      (f) => f.startsWith('src/core/host/'),
      (e) => e.target !== undefined && e.target.startsWith('src/') && folderOf(e.target) !== 'src/core/host',
    ),
    [],
  );
});

test('counters/ stands beside live/, never on it', () => {
  assert.deepEqual(
    arrows(
      (f) => f.startsWith('src/core/counters/'),
      (e) => (e.target ?? '').startsWith('src/core/live/'),
    ),
    [],
  );
});

test('no import cycle among the files of src/core', () => {
  assert.deepEqual(importCycles(core), []);
});

test('no arrow runs back up: the folders of src/core import each other without a cycle', () => {
  const folders = new Map<string, ImportEdge[]>();
  for (const [f, edges] of core) {
    const list = folders.get(folderOf(f)) ?? [];
    folders.set(folderOf(f), list);
    for (const e of edges) {
      if (e.target?.startsWith('src/core/') && folderOf(e.target) !== folderOf(f)) list.push({ specifier: e.specifier, target: folderOf(e.target) });
    }
  }
  assert.deepEqual(importCycles(folders), []);
});

/** The floors of src/core, as ARCHITECTURE.md lists them: a folder imports only folders on lower floors. */
const FLOORS: Record<string, number> = {
  host: 0,
  perf: 0,
  config: 0,
  files: 0,
  fingerprint: 1,
  recording: 1,
  model: 2,
  source: 2,
  counters: 2,
  revisions: 2,
  inference: 3,
  ui: 4,
  calibration: 4,
  compare: 5,
  session: 5,
  live: 5,
  cost: 6,
  exporter: 6,
};

test('every folder of src/core has a floor, and imports only folders on lower floors', () => {
  const floorOf = (file: string) => FLOORS[file.split('/')[2]!];
  const unplaced = [...new Set([...core.keys()].map(folderOf))].filter((d) => floorOf(`${d}/x.ts`) === undefined);
  assert.deepEqual(unplaced, [], 'give each new folder its floor in FLOORS here and in ARCHITECTURE.md');
  assert.deepEqual(
    arrows(
      (f) => f.startsWith('src/core/'),
      (e, f) => e.target !== undefined && e.target.startsWith('src/core/') && folderOf(e.target) !== folderOf(f) && !(floorOf(e.target)! < floorOf(f)!),
    ),
    [],
  );
});

/** What browser code may import from src/: the message types and the pure text and chart helpers. */
const WEBVIEW_SHARED = [/^src\/protocol\.ts$/, /^src\/core\/ui\/[^/]+\.ts$/, /^src\/core\/fingerprint\/derivedMetrics\.ts$/];

test('webview/ reaches src/ only through the shared modules, and everything it reaches runs in a browser', () => {
  assert.deepEqual(
    arrows(
      (f) => f.startsWith('webview/'),
      (e) => e.target !== undefined && !e.target.startsWith('webview/') && !WEBVIEW_SHARED.some((r) => r.test(e.target!)),
    ),
    [],
  );
  // The shared modules and what they import are bundled into the webview: no Node, no vscode, no package.
  const reached = new Set<string>();
  const todo = [...graph.keys()].filter((f) => f.startsWith('webview/'));
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (reached.has(f)) continue;
    reached.add(f);
    for (const e of graph.get(f) ?? []) if (e.target !== undefined && graph.has(e.target)) todo.push(e.target);
  }
  assert.deepEqual(
    arrows(
      (f) => reached.has(f) && f.startsWith('src/'),
      (e) => e.target === undefined,
    ),
    [],
  );
});
