import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './paths.ts';

/** One import of a source file: what it names, and the repository file it reaches (relative specifiers only). */
export interface ImportEdge {
  specifier: string;
  /** Repository-relative path (`src/core/host/host.ts`), or undefined for a package (`vscode`, `node:fs`). */
  target?: string;
}

/** Every `.ts` file under the given repository folders, repository-relative, with its imports. */
export function importGraph(...folders: string[]): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const folder of folders) {
    for (const file of tsFiles(resolve(repoRoot, folder))) {
      const rel = relative(repoRoot, file);
      // preProcessFile reads import, export … from, import type and import() alike, never comments.
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      graph.set(
        rel,
        info.importedFiles.map(({ fileName }) =>
          fileName.startsWith('.') ? { specifier: fileName, target: relative(repoRoot, resolve(dirname(file), fileName)) } : { specifier: fileName },
        ),
      );
    }
  }
  return graph;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The import cycles of the graph (strongly connected components of more than one file, or a file importing itself). */
export function importCycles(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[][] {
  // Tarjan's algorithm, iterative so a deep chain of imports cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const succ = (f: string) => (graph.get(f) ?? []).flatMap((e) => (e.target !== undefined && graph.has(e.target) ? [e.target] : []));
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { file: string; edges: string[]; i: number }[] = [];
    const visit = (f: string) => {
      index.set(f, next);
      low.set(f, next++);
      stack.push(f);
      onStack.add(f);
      work.push({ file: f, edges: succ(f), i: 0 });
    };
    visit(start);
    while (work.length > 0) {
      const top = work.at(-1)!;
      if (top.i < top.edges.length) {
        const to = top.edges[top.i++]!;
        if (!index.has(to)) visit(to);
        else if (onStack.has(to)) low.set(top.file, Math.min(low.get(top.file)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(top.file)!));
      if (low.get(top.file) !== index.get(top.file)) continue;
      const scc: string[] = [];
      let f: string;
      do {
        f = stack.pop()!;
        onStack.delete(f);
        scc.push(f);
      } while (f !== top.file);
      if (scc.length > 1 || top.edges.includes(top.file)) cycles.push(scc.sort());
    }
  }
  return cycles;
}
