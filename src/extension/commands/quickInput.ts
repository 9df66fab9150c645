import * as vscode from 'vscode';

/**
 * Every quick input VNF Lens opens goes through here, with `ignoreFocusOut`: a command run
 * from the palette while a webview (a README preview, a live panel) is in front gets the
 * focus handed back to that webview a moment after the palette closes, and a quick input
 * that closes on focus loss would vanish before the user saw it. Escape still cancels.
 */
export function pickOne<T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>, options: vscode.QuickPickOptions = {}): Thenable<T | undefined> {
  return vscode.window.showQuickPick(items, held(options));
}

/** A pick among plain strings. */
export function pickText(items: readonly string[], options: vscode.QuickPickOptions = {}): Thenable<string | undefined> {
  return vscode.window.showQuickPick(items, held(options));
}

function held(options: vscode.QuickPickOptions): vscode.QuickPickOptions & { canPickMany: false } {
  return { ...options, ignoreFocusOut: true, canPickMany: false };
}

export function askText(options: vscode.InputBoxOptions): Thenable<string | undefined> {
  return vscode.window.showInputBox({ ...options, ignoreFocusOut: true });
}

/** A quick pick to drive by hand (several ticks, a live filter). */
export function createPicker<T extends vscode.QuickPickItem>(): vscode.QuickPick<T> {
  const qp = vscode.window.createQuickPick<T>();
  qp.ignoreFocusOut = true;
  return qp;
}

/** After the flow first shows: the walkthrough's step animation is 250 ms, later under load. */
const RECLAIM_AFTER_MS = [350, 800, 1500, 2500];

type Asked = { title?: string; prompt: string; value?: string; validate?: (v: string) => string | undefined };

/**
 * The steps of one command in one quick pick that stays on screen from the first step to
 * the last (busy while the next step is worked out). Separate quick inputs shown one after
 * the other hand the focus back to the webview in front between two steps, and the next
 * step then opens without the keyboard; one widget that never closes keeps it.
 */
export class QuickFlow implements vscode.Disposable {
  private readonly qp = createPicker<vscode.QuickPickItem>();
  private pending: (() => void) | undefined;
  private closed = false;
  /** While another quick input (the open dialog) stands in for a step, its taking the widget is no cancel. */
  private outside = false;
  private readonly subs: vscode.Disposable[] = [];
  /** The user has typed, moved the highlight or accepted: the keyboard is evidently there. */
  private answered = false;
  /** The value the flow itself last put in the widget (a change to anything else is the user's). */
  private ownValue = '';
  /** The row the flow itself highlighted. */
  private ownActive: vscode.QuickPickItem | undefined;
  /** Hides of the flow's widget still to come from handing it to a twin and back. */
  private swapHides = 0;
  private swappedAt = 0;
  private shown = false;
  private readonly reclaims: ReturnType<typeof setTimeout>[] = [];

  constructor() {
    this.subs.push(
      this.qp.onDidHide(() => {
        if (this.swapHides > 0 && Date.now() - this.swappedAt < 1000) {
          this.swapHides--;
          return;
        }
        if (this.outside) return;
        this.closed = true;
        this.pending?.();
      }),
      this.qp.onDidChangeValue((v) => {
        if (v !== this.ownValue) this.answered = true;
      }),
      this.qp.onDidAccept(() => (this.answered = true)),
      this.qp.onDidChangeActive((a) => {
        if (a[0] !== this.ownActive) this.answered = true;
      }),
    );
  }

  /**
   * The palette's Enter, when it closes the palette, hands the focus back to what was in
   * front; with the walkthrough there, the same key press then activates the walkthrough's
   * step button, which takes the focus again after its 250 ms animation, when the flow's
   * first step may already be on screen (a click on the walkthrough's Attach button does
   * the same). VS Code's "focus quick input" command focuses the list, not the input box,
   * so typing would not filter; showing a widget puts the keyboard in its input box. Until
   * the user types, moves or accepts, the flow hands the widget to a twin and back a few
   * times in its first seconds, each a moment that looks the same.
   */
  private reclaimKeyboard(): void {
    for (const ms of RECLAIM_AFTER_MS) {
      this.reclaims.push(
        setTimeout(() => {
          if (this.closed || this.outside || this.answered) return;
          const twin = createPicker<vscode.QuickPickItem>();
          twin.title = this.qp.title;
          twin.placeholder = this.qp.placeholder;
          twin.items = this.qp.items;
          twin.busy = this.qp.busy;
          // The twin taking the widget hides the flow's for a moment: that hide is no cancel.
          this.swapHides++;
          this.swappedAt = Date.now();
          twin.onDidHide(() => twin.dispose());
          twin.show();
          this.qp.show();
          // Shown again, the widget draws only what is set anew.
          const { placeholder, value, items, activeItems, busy } = this.qp;
          Object.assign(this.qp, { placeholder, value, items, activeItems, busy });
        }, ms),
      );
    }
  }

  private setValue(v: string): void {
    this.ownValue = v;
    this.qp.value = v;
  }

  /** Shows the flow as busy (e.g. while the next step's items are read), keeping the keyboard in it. */
  busy(title: string | undefined, placeholder: string): void {
    if (this.closed) return;
    this.qp.title = title;
    this.qp.placeholder = placeholder;
    this.qp.items = [];
    this.setValue('');
    this.qp.busy = true;
    this.show();
  }

  private show(): void {
    this.qp.show();
    if (!this.shown) this.reclaimKeyboard();
    this.shown = true;
  }

  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: { title?: string; placeHolder?: string; matchOnDescription?: boolean } = {}): Promise<T | undefined> {
    const qp = this.qp;
    return this.step<T>(options.title, (done) => {
      qp.placeholder = options.placeHolder;
      qp.matchOnDescription = options.matchOnDescription ?? false;
      this.setValue('');
      qp.items = items;
      const first = items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      this.ownActive = first;
      if (first) qp.activeItems = [first];
      return [
        qp.onDidAccept(() => {
          const chosen = (qp.selectedItems[0] ?? qp.activeItems[0]) as T | undefined;
          if (chosen && chosen.kind !== vscode.QuickPickItemKind.Separator) done(chosen);
        }),
      ];
    });
  }

  /** A line of text typed into the same widget; Enter accepts it when `validate` finds nothing wrong. */
  ask(options: Asked): Promise<string | undefined> {
    const qp = this.qp;
    const hint = (v: string): vscode.QuickPickItem[] => {
      const problem = options.validate?.(v);
      return [{ label: problem ? `$(error) ${problem}` : `$(check) Enter: ${v === '' ? '(empty)' : v}`, description: problem ? '' : options.prompt, alwaysShow: true }];
    };
    return this.step<string>(options.title, (done) => {
      qp.placeholder = options.prompt;
      qp.items = hint(options.value ?? '');
      this.ownActive = qp.items[0];
      this.setValue(options.value ?? '');
      return [
        qp.onDidChangeValue((v) => (qp.items = hint(v))),
        qp.onDidAccept(() => {
          if (!options.validate?.(qp.value)) done(qp.value);
        }),
      ];
    });
  }

  /**
   * One step in the widget: `setUp` fills it and returns its listeners, which end with the
   * step. An answer leaves the widget busy until the next step; a hide answers undefined.
   */
  private step<T>(title: string | undefined, setUp: (done: (v: T) => void) => vscode.Disposable[]): Promise<T | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (v: T | undefined) => {
        for (const l of listeners) l.dispose();
        this.pending = undefined;
        if (v !== undefined) this.busy(title, 'working…');
        resolve(v);
      };
      this.qp.title = title;
      const listeners = setUp(done);
      this.qp.busy = false;
      this.pending = () => done(undefined);
      this.show();
    });
  }

  /** Runs another dialog (the file dialog) as a step of the flow. */
  async elsewhere<T>(fn: () => Thenable<T>): Promise<T> {
    this.outside = true;
    try {
      return await fn();
    } finally {
      this.outside = false;
    }
  }

  dispose(): void {
    this.closed = true;
    for (const t of this.reclaims) clearTimeout(t);
    this.qp.hide();
    for (const s of this.subs) s.dispose();
    this.qp.dispose();
  }
}
