import type { ConfigDiagnostic, SourceRange } from '../sourceText.ts';
import { LineIndex } from '../sourceText.ts';
import type { VppWord } from './vppWords.ts';
import { matchBraces, vppWords } from './vppWords.ts';

/**
 * A VPP CLI script — the file named by `unix { startup-config FILE }` or
 * `exec FILE`, or given to `vppctl exec`: one command per line, `comment { … }`
 * and `#` lines as comments. VPP accepts any unique prefix of a command word
 * (`set int ip addr`), so commands are matched word by word on prefixes.
 */
export interface VppCliCommand {
  /** The words as written, joined by single spaces. */
  text: string;
  words: { text: string; range: SourceRange }[];
  range: SourceRange;
  /** What the command does to an interface, when it is one of the commands below. */
  action?: VppInterfaceAction;
}

export type VppInterfaceActionKind =
  | 'state'
  | 'ip-address'
  | 'mtu'
  | 'l2-bridge'
  | 'l2-xconnect'
  | 'promiscuous'
  | 'rx-mode'
  | 'rx-placement'
  | 'mac-address'
  | 'unnumbered'
  | 'create-host-interface'
  | 'create-sub-interface'
  | 'lcp-create'
  | 'ip-route';

export interface VppInterfaceAction {
  kind: VppInterfaceActionKind;
  /** The interface the command is about (for `create host-interface name X`, VPP's name `host-X`). */
  interface: string;
  /** Where the interface name is written. */
  interfaceRange: SourceRange;
  /** The setting: `up`, `10.0.0.1/24`, `9000`, the bridge id, the peer interface, … */
  value?: string;
  /** `set interface ip address del …` */
  delete?: boolean;
}

export interface VppCliScript {
  commands: VppCliCommand[];
  /** Every line that configures an interface, in file order. */
  interfaces: (VppInterfaceAction & { command: string; range: SourceRange })[];
  /** `exec FILE` lines: other scripts this one runs. */
  execRefs: { path: string; range: SourceRange }[];
  diagnostics: ConfigDiagnostic[];
}

/** Parses a VPP CLI script. Never throws; an unclosed `comment {` becomes a diagnostic. */
export function parseVppCliScript(text: string): VppCliScript {
  const lines = new LineIndex(text);
  const diagnostics: ConfigDiagnostic[] = [];
  const words = vppWords(text, lines);
  const pairs = matchBraces(words, lines, diagnostics);
  const script: VppCliScript = { commands: [], interfaces: [], execRefs: [], diagnostics };
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    // `comment { ... }` may span lines; everything up to its brace is skipped.
    if (w.kind === 'word' && w.text === 'comment' && words[i + 1]?.kind === '{') {
      const close = pairs.get(i + 1) ?? -1;
      if (close >= 0) i = close + 1;
      else {
        // VPP would ignore the rest of the file; reading on shows what it would miss.
        i += 2;
        while (i < words.length && words[i]!.line === w.line) i++;
      }
      continue;
    }
    const lineWords: VppWord[] = [];
    const line = w.line;
    while (i < words.length && words[i]!.line === line) {
      const x = words[i]!;
      if (x.kind === 'word' && x.text === 'comment' && words[i + 1]?.kind === '{') break;
      lineWords.push(x);
      // A brace block continues the command across lines (`create … { … }`).
      if (x.kind === '{') {
        const close = pairs.get(i) ?? -1;
        const end = close < 0 ? words.length - 1 : close;
        for (let j = i + 1; j <= end; j++) lineWords.push(words[j]!);
        i = end + 1;
        break;
      }
      i++;
    }
    if (lineWords.length === 0) continue;
    script.commands.push(command(lineWords, lines, script));
  }
  return script;
}

function command(ws: VppWord[], lines: LineIndex, script: VppCliScript): VppCliCommand {
  const first = ws[0]!;
  const last = ws[ws.length - 1]!;
  const cmd: VppCliCommand = {
    text: ws.map((w) => w.text).join(' '),
    words: ws.map((w) => ({ text: w.text, range: lines.range(w.start, w.end) })),
    range: lines.range(first.start, last.end),
  };
  if (matches(ws, ['exec']) && ws[1]) script.execRefs.push({ path: ws[1].text, range: lines.range(ws[1].start, ws[1].end) });
  const action = interfaceAction(ws, lines);
  if (action) {
    cmd.action = action;
    script.interfaces.push({ ...action, command: cmd.text, range: cmd.range });
  }
  return cmd;
}

/** True when the first words are prefixes of `pattern`'s words (VPP's unique-prefix matching). */
function matches(ws: VppWord[], pattern: string[]): boolean {
  if (ws.length < pattern.length) return false;
  return pattern.every((p, i) => {
    const w = ws[i]!.text;
    return w === p || (w.length >= 2 && p.startsWith(w) && ws[i]!.kind === 'word');
  });
}

function interfaceAction(ws: VppWord[], lines: LineIndex): VppInterfaceAction | undefined {
  const word = (i: number) => ws[i];
  const make = (kind: VppInterfaceActionKind, ifIdx: number, value?: string, name?: string): VppInterfaceAction | undefined => {
    const w = word(ifIdx);
    if (!w || w.kind !== 'word') return undefined;
    const a: VppInterfaceAction = { kind, interface: name ?? w.text, interfaceRange: lines.range(w.start, w.end) };
    if (value !== undefined) a.value = value;
    return a;
  };
  const text = (i: number) => (word(i)?.kind === 'word' ? word(i)!.text : undefined);
  const setInt = (sub: string[]) => matches(ws, ['set', 'interface', ...sub]);

  if (setInt(['state'])) return make('state', 3, text(4));
  if (setInt(['ip', 'address'])) {
    const del = text(4) === 'del';
    const ifIdx = del ? 5 : 4;
    const a = make('ip-address', ifIdx, text(ifIdx + 1));
    if (a && (del || text(ifIdx + 2) === 'del')) a.delete = true;
    return a;
  }
  if (setInt(['mtu'])) {
    // set interface mtu [packet|ip4|ip6|mpls] <value> <interface>
    const proto = /^(packet|ip4|ip6|mpls)$/.test(text(3) ?? '') ? 1 : 0;
    return make('mtu', 4 + proto, text(3 + proto));
  }
  if (setInt(['l2', 'bridge'])) return make('l2-bridge', 4, text(5));
  if (setInt(['l2', 'xconnect'])) return make('l2-xconnect', 4, text(5));
  if (setInt(['promiscuous'])) return make('promiscuous', 4, text(3));
  if (setInt(['rx-mode'])) return make('rx-mode', 3, ws.slice(4).map((w) => w.text).join(' ') || undefined);
  if (setInt(['rx-placement'])) return make('rx-placement', 3, ws.slice(4).map((w) => w.text).join(' ') || undefined);
  if (setInt(['mac', 'address'])) return make('mac-address', 4, text(5));
  if (setInt(['unnumbered'])) return make('unnumbered', 3, text(4) === 'use' ? text(5) : undefined);
  if (matches(ws, ['create', 'host-interface', 'name'])) {
    const name = text(3);
    return name === undefined ? undefined : make('create-host-interface', 3, name, `host-${name}`);
  }
  if (matches(ws, ['create', 'sub-interfaces'])) return make('create-sub-interface', 2, text(3), text(3) !== undefined ? `${text(2)}.${text(3)}` : undefined);
  if (matches(ws, ['lcp', 'create'])) return make('lcp-create', 2, text(4));
  if (matches(ws, ['ip', 'route', 'add'])) {
    // ip route add <prefix> via <next-hop> [<interface>]
    const via = ws.findIndex((w) => w.text === 'via');
    if (via > 0 && text(via + 2) !== undefined) return make('ip-route', via + 2, text(3));
  }
  return undefined;
}
