import type { ProcessEntry } from './processes.ts';

/** Why a process is left out of an attach list: nobody attaches perf to these. */
export type NoiseKind = 'own-listing' | 'editor-or-browser-helper';

/** Browsers and editors whose main process is a program of this name. */
const BROWSER_OR_EDITOR = new Set(['chromium', 'chromium-browser', 'chrome', 'google-chrome', 'google-chrome-stable', 'msedge', 'firefox', 'firefox-esr', 'code', 'code-insiders', 'codium', 'code-server', 'cursor']);

/**
 * Processes that are never a router: the `ps` (and `sh`) VNF Lens itself runs to list
 * processes, and the editor's and browser's own processes (browsers, Chromium/Electron
 * children with `--type=…`, VS Code and code-server servers with their node workers, and
 * the runtimes extensions start: language servers, Copilot), which can number in the
 * dozens on a desktop or on a lab host with Remote-SSH.
 */
export function processNoise(p: ProcessEntry): NoiseKind | undefined {
  if (p.router) return undefined;
  const argv = p.argv.length > 0 ? p.argv : p.commandLine.split(/\s+/);
  const exe = basename(argv[0] ?? '');
  // Our own listing: `ps -e -ww -o pid=,…` and the `sh -c` that reads /proc/PID/cmdline.
  if (exe === 'ps' && argv.some((a) => a.startsWith('pid=,user'))) return 'own-listing';
  if ((exe === 'sh' || exe === 'bash') && p.commandLine.includes('/proc/$p/cmdline')) return 'own-listing';
  if (BROWSER_OR_EDITOR.has(exe)) return 'editor-or-browser-helper';
  // Chromium, Electron (VS Code desktop) and their kin mark every child with --type=.
  if (argv.some((a) => /^--type=[a-z-]+$/i.test(a))) return 'editor-or-browser-helper';
  const line = p.commandLine;
  if (/code-server\/(out\/node\/entry\b|lib\/node|lib\/vscode\/)|\/lib\/vscode\/out\/|\.vscode-server\/|vscode-server\/bin\/|\/out\/server-main\.js|bootstrap-fork|\/chrome_crashpad_handler|\/chromium\/chrome-sandbox|crashpad_handler/.test(line)) {
    return 'editor-or-browser-helper';
  }
  // What extensions run: anything started from an installed extension's folder
  // (`…/extensions/publisher.name-1.2.3/…`), and Copilot's runtimes wherever they live.
  if (/\/extensions\/[\w-]+\.[\w.-]+-\d+\.\d+\.\d+[\w.-]*\//.test(line) || /copilot[-_](runtime|language-server|agent)|\/copilot\/dist\//i.test(line)) return 'editor-or-browser-helper';
  return undefined;
}

/** The processes to offer: no kernel threads, nothing processNoise names; and how many were left out. */
export function offeredProcesses(list: readonly ProcessEntry[]): { shown: ProcessEntry[]; hidden: number } {
  const candidates = list.filter((p) => !p.kernelThread);
  const shown = candidates.filter((p) => processNoise(p) === undefined);
  return { shown, hidden: candidates.length - shown.length };
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}
