import * as vscode from 'vscode';
import { processNoise } from '../../core/live/processNoise.ts';
import type { ProcessEntry } from '../../core/live/processes.ts';

type ProcessItem = vscode.QuickPickItem & { proc?: ProcessEntry };

/** Set while the filter box is empty, so Space ticks the highlighted row (package.json keybinding). */
const EMPTY_FILTER_KEY = 'vnfLens.processPickerEmptyFilter';

/**
 * The process list of Attach: routers first, then the rest, without our own `ps` and the
 * helpers of browsers and editors. Enter attaches the ticked rows, or the highlighted row
 * when none is ticked; Space (with an empty filter) ticks the highlighted row for a chain.
 */
export async function pickProcesses(procs: ProcessEntry[], where: string): Promise<ProcessEntry[] | undefined> {
  const candidates = procs.filter((p) => !p.kernelThread);
  const shown = candidates.filter((p) => processNoise(p) === undefined);
  const hidden = candidates.length - shown.length;
  const routers = shown.filter((p) => p.router);
  const others = shown.filter((p) => !p.router);
  const items: ProcessItem[] = [];
  if (routers.length > 0) items.push({ label: 'Routers', kind: vscode.QuickPickItemKind.Separator }, ...routers.map(toItem));
  if (others.length > 0) items.push({ label: 'Other processes', kind: vscode.QuickPickItemKind.Separator }, ...others.map(toItem));

  const qp = vscode.window.createQuickPick<ProcessItem>();
  qp.title = `Router process on ${where}`;
  qp.placeholder = `Enter attaches the highlighted process; Space ticks several for a service chain${hidden > 0 ? ` (${hidden} browser, editor and listing helpers hidden)` : ''}`;
  qp.canSelectMany = true;
  qp.matchOnDetail = true;
  qp.matchOnDescription = true;
  qp.items = items;
  // A multi-select list highlights nothing by itself, neither at first nor after typing: Enter needs a highlighted row.
  const highlightFirst = (filter: string) => {
    const f = filter.trim().toLowerCase();
    const match = items.find((i) => i.proc && (f === '' || [i.label, i.description ?? '', i.detail ?? ''].some((t) => t.toLowerCase().includes(f))));
    if (match) qp.activeItems = [match];
  };
  const setEmpty = (v: string) => void vscode.commands.executeCommand('setContext', EMPTY_FILTER_KEY, v === '');
  setEmpty('');
  return new Promise((resolve) => {
    let result: ProcessEntry[] | undefined;
    const subs = [
      qp.onDidChangeValue((v) => {
        setEmpty(v);
        highlightFirst(v);
      }),
      qp.onDidAccept(() => {
        const ticked = qp.selectedItems.filter((i) => i.proc);
        const chosen = ticked.length > 0 ? ticked : qp.activeItems.filter((i) => i.proc).slice(0, 1);
        if (chosen.length === 0) return; // nothing highlighted (the filter matches nothing): stay open
        result = chosen.map((i) => i.proc!);
        qp.hide();
      }),
      qp.onDidHide(() => {
        for (const s of subs) s.dispose();
        void vscode.commands.executeCommand('setContext', EMPTY_FILTER_KEY, false);
        qp.dispose();
        resolve(result);
      }),
    ];
    qp.show();
    highlightFirst('');
  });
}

function toItem(p: ProcessEntry): ProcessItem {
  const name = p.router?.name ?? p.argv[0]?.split('/').pop() ?? p.commandLine;
  return {
    label: `${p.router ? '$(server-process) ' : ''}${name} — pid ${p.pid}`,
    description: `${p.cpuPercent.toFixed(0)} % CPU · ${p.threads} threads · ${p.user}${p.router?.configFiles.length ? ` · config ${p.router.configFiles.join(', ')}` : ''}`,
    detail: p.commandLine,
    proc: p,
  };
}
