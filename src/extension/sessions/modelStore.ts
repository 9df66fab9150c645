import * as vscode from 'vscode';
import { defaultModelPath, loadDefaultModel, loadModel } from '../../core/model/load.ts';
import type { Model } from '../../core/model/model.ts';
import { modelGaps, withDefaultParts } from '../../core/model/modelGaps.ts';
import { Disposable } from '../disposable.ts';
import { readSettings, resolveSettingPath } from '../settings.ts';

export interface ActiveModel {
  /** What inference runs on (a user's model may carry parts of the default). */
  model: Model;
  /** File the model came from. */
  path: string;
  isDefault: boolean;
  /** Parts taken from the default model because the user's model has none. */
  borrowed: string[];
  /** What the user's model lacks, with the reason (empty for the default). */
  lacks: string[];
}

/** The model inference uses: the one in the settings, else the shipped default. Reloads when the setting changes. */
export class ModelStore extends Disposable {
  private current: ActiveModel | null = null;
  private loading: Promise<ActiveModel | null> | undefined;
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<ActiveModel | null>());
  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor() {
    super();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vnfLens.modelPath')) void this.reload();
      }),
    );
  }

  get active(): ActiveModel | null {
    return this.current;
  }

  /** Loads on first use, so activation stays cheap. */
  get(): Promise<ActiveModel | null> {
    if (this.current) return Promise.resolve(this.current);
    return (this.loading ??= this.load());
  }

  async reload(): Promise<ActiveModel | null> {
    this.loading = this.load();
    const m = await this.loading;
    this.onDidChangeEmitter.fire(m);
    return m;
  }

  private async load(): Promise<ActiveModel | null> {
    const configured = readSettings().modelPath;
    const path = configured ? resolveSettingPath(configured) : undefined;
    try {
      if (path) {
        const own = await loadModel(path);
        const { lacks } = modelGaps(own);
        // A model without loss regime and scenarios would leave replays with "unknown" and "no match": borrow the default's.
        const { model, borrowed } = own.loss || own.scenarios ? { model: own, borrowed: [] } : withDefaultParts(own, await loadDefaultModel());
        this.current = { model, path, isDefault: false, borrowed, lacks };
      } else {
        this.current = { model: await loadDefaultModel(), path: defaultModelPath(), isDefault: true, borrowed: [], lacks: [] };
      }
    } catch (e) {
      const msg = (e as Error).message;
      void vscode.window.showErrorMessage(`VNF Lens: cannot load the model${configured ? ` ${configured}` : ''}: ${msg}. Inference is off until a valid model is set (VNF Lens: Use Model…).`);
      this.current = null;
    }
    return this.current;
  }
}

/** One line for people: 'the default model (ITC 2021 reference data)' or 'model "lab" (.vnf-lens/models/lab.model.json), with the default's scenarios'. */
export function describeActiveModel(m: ActiveModel): string {
  if (m.isDefault) return 'the default model (ITC 2021 reference data)';
  const borrowed = m.borrowed.length > 0 ? `, with the default model's ${m.borrowed.join(' and ')}` : '';
  return `model "${m.model.name}" (${vscode.workspace.asRelativePath(m.path)})${borrowed}`;
}
