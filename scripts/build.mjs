// Bundles the three sides with esbuild: the CLI and the extension (Node, CommonJS)
// and each webview panel (browser IIFE) into media/dist.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const define = { __VERSION__: JSON.stringify(pkg.version), __CHECKED_MODEL_SHA256__: JSON.stringify(await checkedDefaultModel()) };

/**
 * Puts media/default-model.json through every check the product makes of a model
 * (parseModel of src/core/model/load.ts, bundled here in memory) and returns its
 * SHA-256: the bundles then load that exact file without checking it again at every
 * start. A default model that fails a check fails the build.
 */
async function checkedDefaultModel() {
  const file = 'media/default-model.json';
  const { outputFiles } = await build({ entryPoints: ['src/core/model/load.ts'], bundle: true, write: false, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  const load = { exports: {} };
  new Function('module', 'exports', 'require', '__dirname', outputFiles[0].text)(load, load.exports, createRequire(import.meta.url), path.resolve('src/core/model'));
  const bytes = readFileSync(file);
  try {
    load.exports.parseModel(JSON.parse(load.exports.stripBom(bytes.toString('utf8'))), file);
  } catch (e) {
    console.error(`build: ${e.message}`);
    process.exit(1);
  }
  return createHash('sha256').update(bytes).digest('hex');
}

// The CLI: dist/cli.js reads the command line and loads the bundle of the command it
// runs, dist/cli/NAME.js, so that each command compiles only its own code (compiling
// every command's code cost more CPU than `vnf-lens --help` itself).
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/\w+\.ts$/ }, (args) =>
      args.importer === path.resolve('src/cli/main.ts') ? { path: `./cli/${path.basename(args.path, '.ts')}.js`, external: true } : undefined,
    );
  },
};
await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts' },
  outdir: 'dist',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define,
  banner: { js: '#!/usr/bin/env node' },
  plugins: [commandsApart],
  // import() of a command bundle as require(): no ES module loading for CommonJS.
  supported: { 'dynamic-import': false },
});
chmodSync('dist/cli.js', 0o755);
// ajv, the schema checker, is a bundle of its own too, dist/cli/ajv.js: most runs load
// only the model the build checked, and never need it.
const ajvApart = {
  name: 'ajv-apart',
  setup(b) {
    b.onResolve({ filter: /^ajv$/ }, () => ({ path: './ajv.js', external: true }));
  },
};
const commands = readdirSync('src/cli/commands').filter((f) => f.endsWith('.ts'));
await build({
  ...common,
  entryPoints: [...commands.map((f) => `src/cli/commands/${f}`), { in: createRequire(import.meta.url).resolve('ajv'), out: 'ajv' }],
  outdir: 'dist/cli',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define,
  plugins: [ajvApart],
});

if (existsSync('src/extension/main.ts')) {
  await build({
    ...common,
    entryPoints: { extension: 'src/extension/main.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    define,
    external: ['vscode'],
  });
}

const panels = existsSync('webview/panels') ? readdirSync('webview/panels').filter((f) => f.endsWith('.ts')) : [];
if (panels.length > 0) {
  await build({
    ...common,
    entryPoints: panels.map((f) => `webview/panels/${f}`),
    outdir: 'media/dist',
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
  });
}
