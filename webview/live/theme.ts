/**
 * Chart colours from the VS Code theme. VS Code sets `--vscode-*` variables on the
 * root element and a `vscode-light` / `vscode-dark` / `vscode-high-contrast` class on
 * the body; both change when the user switches themes, so colours are re-read then.
 */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  red: string;
  blue: string;
  yellow: string;
  orange: string;
  green: string;
  purple: string;
  /** Series colours in a fixed order, so a series keeps its colour across charts. */
  palette: string[];
  /** Line width of data: thicker in high-contrast themes. */
  lineWidth: number;
}

/** VS Code's Dark Modern values, used when a variable is missing (e.g. outside VS Code). */
const FALLBACK = {
  foreground: '#cccccc',
  muted: '#9d9d9d',
  background: '#1f1f1f',
  lines: '#cccccc80',
  red: '#f14c4c',
  blue: '#3794ff',
  yellow: '#cca700',
  orange: '#d18616',
  green: '#89d185',
  purple: '#b180d7',
};

export function themeKind(body: HTMLElement): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const kind = themeKind(document.body);
  const foreground = v('--vscode-charts-foreground', v('--vscode-foreground', FALLBACK.foreground));
  const t = {
    kind,
    foreground,
    muted: v('--vscode-descriptionForeground', FALLBACK.muted),
    background: v('--vscode-editor-background', FALLBACK.background),
    grid: withAlpha(v('--vscode-charts-lines', FALLBACK.lines), kind.startsWith('high-contrast') ? 0.6 : 0.25),
    fontFamily: v('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(v('--vscode-font-size', '13px')) || 13,
    red: v('--vscode-charts-red', FALLBACK.red),
    blue: v('--vscode-charts-blue', FALLBACK.blue),
    yellow: v('--vscode-charts-yellow', FALLBACK.yellow),
    orange: v('--vscode-charts-orange', FALLBACK.orange),
    green: v('--vscode-charts-green', FALLBACK.green),
    purple: v('--vscode-charts-purple', FALLBACK.purple),
    lineWidth: kind.startsWith('high-contrast') ? 2.5 : 1.5,
  };
  return { ...t, palette: [t.blue, t.orange, t.green, t.purple, t.red, t.yellow] };
}

/** Calls `onChange` when the theme changes (body class or the root's variables). */
export function watchTheme(onChange: () => void): () => void {
  let queued = false;
  const fire = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      onChange();
    });
  };
  const mo = new MutationObserver(fire);
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => mo.disconnect();
}

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses the colour forms VS Code writes: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(). */
export function parseColor(c: string): Rgba | null {
  const s = c.trim();
  let m = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (m) {
    let h = m[1]!;
    if (h.length === 3 || h.length === 4) h = [...h].map((x) => x + x).join('');
    if (h.length !== 6 && h.length !== 8) return null;
    const n = (i: number) => Number.parseInt(h.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(s);
  if (m) {
    const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number.parseFloat(m[4]) / 100 : Number.parseFloat(m[4]);
    return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a };
  }
  return null;
}

function rgba(c: Rgba): string {
  return `rgba(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)}, ${Math.round(c.a * 1000) / 1000})`;
}

/** The colour with its alpha multiplied by `alpha`; unparseable colours pass through. */
export function withAlpha(c: string, alpha: number): string {
  const p = parseColor(c);
  return p ? rgba({ ...p, a: p.a * alpha }) : c;
}

/** A colour `f` of the way along a ramp of colours (0 = first, 1 = last). */
export function ramp(colors: readonly string[], f: number): string {
  const parsed = colors.map(parseColor).filter((c): c is Rgba => c !== null);
  if (parsed.length === 0) return colors[0] ?? FALLBACK.foreground;
  if (parsed.length === 1) return rgba(parsed[0]!);
  const x = Math.min(1, Math.max(0, f)) * (parsed.length - 1);
  const i = Math.min(parsed.length - 2, Math.floor(x));
  const a = parsed[i]!;
  const b = parsed[i + 1]!;
  const u = x - i;
  return rgba({ r: a.r + (b.r - a.r) * u, g: a.g + (b.g - a.g) * u, b: a.b + (b.b - a.b) * u, a: a.a + (b.a - a.a) * u });
}
