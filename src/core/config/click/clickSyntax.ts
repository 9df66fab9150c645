import type { SourceRange } from '../sourceText.ts';
import type { ClickConfig, ClickElement } from './clickTypes.ts';
import type { ConfigText } from './clickConfigString.ts';
import type { ClickLexer, Token } from './clickLexer.ts';

// The Click parser's working shapes, shared by its parts (clickParser.ts, clickElements.ts,
// clickPorts.ts, clickDirectives.ts).

/** What every part of the parser reads from and writes to. */
export interface ParseContext {
  readonly lx: ClickLexer;
  readonly out: ClickConfig;
  error(start: number, end: number, message: string, severity?: 'error' | 'warning'): void;
  range(start: number, end: number): SourceRange;
}

/** The names visible in the top level or in one compound body. */
export interface Scope {
  compound?: string;
  isCompound: boolean;
  names: Map<string, ClickElement | 'port'>;
  created: number;
}

export type Arrow = '->' | '=>' | '~>';

/** One item of a connection chain before it is turned into an element. */
export interface RawEndpoint {
  kind: 'ident' | 'implicit' | 'group' | 'compound';
  start: number;
  end: number;
  inPorts?: number[];
  outPorts?: number[];
  ident?: Token;
  declClass?: Token;
  config?: ConfigText;
  /** Offset just past the closing parenthesis (or the class/name when there is no config). */
  declEnd: number;
  compoundName?: string;
}

export interface Endpoint {
  name: string | undefined;
  raw: RawEndpoint;
}

export function describeToken(t: Token): string {
  return t.kind === 'eof' ? 'end of file' : `'${t.text}'`;
}
