import type { ProcessEntry } from './processes.ts';

/** Why a process is left out of an attach list: nobody attaches perf to these. */
export type NoiseKind = 'own-listing' | 'editor-or-browser-helper';

/**
 * Processes that are never a router: the `ps` (and `sh`) VNF Lens itself runs to list
 * processes, and the helper processes of browsers and editors (Chromium/Electron children
 * with `--type=…`, VS Code and code-server servers and their extension hosts), which can
 * number in the dozens on a desktop or a lab host with Remote-SSH.
 */
export function processNoise(p: ProcessEntry): NoiseKind | undefined {
  if (p.router) return undefined;
  const argv = p.argv.length > 0 ? p.argv : p.commandLine.split(/\s+/);
  const exe = basename(argv[0] ?? '');
  // Our own listing: `ps -e -ww -o pid=,…` and the `sh -c` that reads /proc/PID/cmdline.
  if (exe === 'ps' && argv.some((a) => a.startsWith('pid=,user'))) return 'own-listing';
  if ((exe === 'sh' || exe === 'bash') && p.commandLine.includes('/proc/$p/cmdline')) return 'own-listing';
  // Chromium, Electron (VS Code desktop) and their kin mark every child with --type=.
  if (argv.some((a) => /^--type=[a-z-]+$/i.test(a))) return 'editor-or-browser-helper';
  const line = p.commandLine;
  if (/code-server\/(out\/node\/entry\.js|lib\/node)|\/lib\/vscode\/out\/|\.vscode-server\/|vscode-server\/bin\/|\/out\/server-main\.js|bootstrap-fork|\/chrome_crashpad_handler|\/chromium\/chrome-sandbox|crashpad_handler/.test(line)) {
    return 'editor-or-browser-helper';
  }
  return undefined;
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}
