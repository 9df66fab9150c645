import type { PanelSettings, PersistedPanelState, SessionInfo } from '../../src/protocol.ts';
import type { History } from './history.ts';

export const DEFAULT_WINDOW_SECONDS = 120;

/** The view as the user set it; persisted with setState so a reload shows the same thing. */
export interface ViewState {
  paused: boolean;
  pausedAt: number | null;
  scrollBack: number;
  stream: string | null;
  group: string | null;
}

/** The times the charts show, and how far back the user may scroll. */
export interface ViewWindow {
  start: number;
  end: number;
  maxBack: number;
  latest: number;
}

export function initialView(): ViewState {
  return { paused: false, pausedAt: null, scrollBack: 0, stream: null, group: null };
}

/** The view saved for this session before a reload, or null when the saved one is another session's. */
export function restoredView(saved: Partial<PersistedPanelState> | undefined, sessionId: string, latestT: number): ViewState | null {
  if (!saved || saved.sessionId !== sessionId) return null;
  const view: ViewState = {
    paused: saved.paused === true,
    pausedAt: typeof saved.pausedAt === 'number' ? saved.pausedAt : null,
    scrollBack: typeof saved.scrollBackSeconds === 'number' && saved.scrollBackSeconds > 0 ? saved.scrollBackSeconds : 0,
    stream: typeof saved.stream === 'string' ? saved.stream : null,
    group: typeof saved.group === 'string' ? saved.group : null,
  };
  if (view.paused && view.pausedAt === null) view.pausedAt = latestT;
  return view;
}

export function persistedState(session: SessionInfo, view: ViewState): PersistedPanelState {
  return {
    sessionId: session.id,
    paused: view.paused,
    scrollBackSeconds: view.scrollBack,
    pausedAt: view.pausedAt,
    stream: view.stream,
    group: view.group,
    title: session.title,
    ...(session.recordingPath !== undefined ? { recordingPath: session.recordingPath } : {}),
  };
}

export function viewWindow(history: History, view: ViewState, windowSeconds: number): ViewWindow {
  const latest = history.latestT;
  if (!Number.isFinite(latest)) return { start: -windowSeconds, end: 0, maxBack: 0, latest: NaN };
  const anchor = view.paused && view.pausedAt !== null ? Math.min(view.pausedAt, latest) : latest;
  const maxBack = Math.max(0, anchor - history.earliestT - windowSeconds);
  const end = anchor - Math.min(view.scrollBack, maxBack);
  // Until the session is longer than the window, the data fills the chart from the left.
  const start = Math.max(end - windowSeconds, Math.min(history.earliestT, end - 1));
  return { start, end, maxBack, latest };
}

export function sanitizeSettings(s: PanelSettings | undefined): PanelSettings {
  const w = s?.windowSeconds;
  return { windowSeconds: typeof w === 'number' && Number.isFinite(w) && w > 0 ? Math.min(w, 86_400) : DEFAULT_WINDOW_SECONDS };
}
