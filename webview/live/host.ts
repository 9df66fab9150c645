import type { FromWebview, PersistedPanelState } from '../../src/protocol.ts';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The extension host as the panel sees it: typed messages out, persisted view state. */
export class Host {
  private readonly api: VsCodeApi;

  constructor() {
    this.api = acquireVsCodeApi();
  }

  post(m: FromWebview): void {
    this.api.postMessage(m);
  }

  getState(): Partial<PersistedPanelState> | undefined {
    const s = this.api.getState();
    return s !== null && typeof s === 'object' ? (s as Partial<PersistedPanelState>) : undefined;
  }

  setState(s: PersistedPanelState): void {
    this.api.setState(s);
  }
}
