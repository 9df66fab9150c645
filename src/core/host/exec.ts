import type * as ExecaModule from 'execa';

/**
 * execa is ESM-only while this package's sources run as CommonJS under tsx, where a
 * static `import` becomes a `require` that fails inside execa's dependencies. A
 * dynamic import works both under tsx and in the esbuild bundle, so it is loaded
 * once here; hosts await `loadExeca()` in `connect()` before spawning anything.
 */
let loaded: typeof ExecaModule | undefined;
let loading: Promise<typeof ExecaModule> | undefined;

export async function loadExeca(): Promise<typeof ExecaModule> {
  if (loaded) return loaded;
  loading ??= import('execa').then((m) => (loaded = m));
  return loading;
}

/** execa itself, for code that runs after `loadExeca()` resolved. */
export function execaLoaded(): typeof ExecaModule.execa {
  if (!loaded) throw new Error('internal: execa used before loadExeca()');
  return loaded.execa;
}
