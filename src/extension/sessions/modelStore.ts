import * as vscode from 'vscode';
import { defaultModelPath, loadDefaultModel, loadModel } from '../../core/model/load.ts';
import type { Model } from '../../core/model/model.ts';
import { Disposable } from '../disposable.ts';
import { readSettings } from '../settings.ts';

export interface ActiveModel {
  model: Model;
  /** File the model came from. */
  path: string;
  isDefault: boolean;
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
    try {
      if (configured) {
        this.current = { model: await loadModel(configured), path: configured, isDefault: false };
      } else {
        this.current = { model: await loadDefaultModel(), path: defaultModelPath(), isDefault: true };
      }
    } catch (e) {
      const msg = (e as Error).message;
      void vscode.window.showErrorMessage(`VNF Lens: cannot load the model${configured ? ` ${configured}` : ''}: ${msg}. Inference is off until a valid model is set (VNF Lens: Use Model…).`);
      this.current = null;
    }
    return this.current;
  }
}
