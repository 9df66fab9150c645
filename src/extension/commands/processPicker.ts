import * as vscode from 'vscode';
import { offeredProcesses } from '../../core/host/processNoise.ts';
import type { ProcessEntry } from '../../core/host/processes.ts';
import { createPicker } from './quickInput.ts';

type ProcessItem = vscode.QuickPickItem & { proc?: ProcessEntry };

/** Set while the filter box is empty, so Space ticks the highlighted row (package.json keybinding). */
const EMPTY_FILTER_KEY = 'vnfLens.processPickerEmptyFilter';

/**
 * The process list of Attach: routers first, then the rest, without our own `ps` and the
 * helpers of browsers and editors. Enter attaches the ticked rows, or the highlighted row
 * when none is ticked; Space (with an empty filter) ticks the highlighted row for a chain.
 */
export async function pickProcesses(procs: ProcessEntry[], where: string, demoPid?: number): Promise<ProcessEntry[] | undefined> {
  const { shown, hidden } = offeredProcesses(procs);
  // In the demo workspace its own router comes first: on a shared lab machine other routers run too.
  const routers = shown.filter((p) => p.router).sort((a, b) => Number(b.pid === demoPid) - Number(a.pid === demoPid));
  const others = shown.filter((p) => !p.router);
  const items: ProcessItem[] = [];
  if (routers.length > 0) items.push({ label: 'Routers', kind: vscode.QuickPickItemKind.Separator }, ...routers.map((p) => toItem(p, demoPid)));
  else items.push(...noRouterItems(where));
  if (others.length > 0) items.push({ label: 'Other processes', kind: vscode.QuickPickItemKind.Separator }, ...others.map((p) => toItem(p)));

  const qp = createPicker<ProcessItem>();
  qp.title = `Router process on ${where}`;
  qp.placeholder = `Enter attaches the highlighted process; Space ticks several for a service chain${hidden > 0 ? ` (${hidden} browser, editor and listing helpers hidden)` : ''}`;
  qp.canSelectMany = true;
  qp.matchOnDetail = true;
  qp.matchOnDescription = true;
  qp.items = items;
  // A multi-select list highlights nothing by itself, neither at first nor after typing: Enter needs a highlighted row.
  // With an empty filter only a router is highlighted, so Enter never attaches perf to some other process by chance.
  const highlightFirst = (filter: string) => {
    const f = filter.trim().toLowerCase();
    const match = items.find((i) => i.proc && (f === '' ? i.proc.router !== undefined : [i.label, i.description ?? '', i.detail ?? ''].some((t) => t.toLowerCase().includes(f))));
    qp.activeItems = match ? [match] : [];
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

/** The empty state: no router here, and what to try. Rows without a process, so Enter on them does nothing. */
function noRouterItems(where: string): ProcessItem[] {
  return [
    { label: 'No router found', kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(info) No router found on ${where}`,
      description: 'FastClick, VPP, OVS, snabb, BESS, t4p4s and DPDK applications are recognised by their command line',
      detail: 'Start your router (the demo runs dpdk-testpmd: npm start), attach over SSH to the lab host it runs on, or type to pick any other process below.',
      alwaysShow: true,
    },
  ];
}

function toItem(p: ProcessEntry, demoPid?: number): ProcessItem {
  const name = p.router?.name ?? p.argv[0]?.split('/').pop() ?? p.commandLine;
  return {
    label: `${p.router ? '$(server-process) ' : ''}${name} — pid ${p.pid}${p.pid === demoPid ? ' (the demo router)' : ''}`,
    description: `${p.cpuPercent.toFixed(0)} % CPU · ${p.threads} threads · ${p.user}${p.router?.configFiles.length ? ` · config ${p.router.configFiles.join(', ')}` : ''}`,
    detail: p.commandLine,
    proc: p,
  };
}
