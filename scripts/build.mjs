// Bundles the three sides with esbuild: the CLI and the extension (Node, CommonJS)
// and each webview panel (browser IIFE) into media/dist.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const define = { __VERSION__: JSON.stringify(pkg.version) };

await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts' },
  outdir: 'dist',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define,
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync('dist/cli.js', 0o755);

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
