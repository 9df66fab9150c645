import { basename, extname } from 'node:path';
import { parseClickConfig } from './click/clickParser.ts';
import type { ClickConfig } from './click/clickTypes.ts';
import type { VppCliScript } from './vpp/cliScript.ts';
import { parseVppCliScript } from './vpp/cliScript.ts';
import type { VppStartupConf } from './vpp/startupConf.ts';
import { parseVppStartupConf } from './vpp/startupConf.ts';

export type RouterConfigKind = 'click' | 'vpp-startup' | 'vpp-cli';

export type RouterConfig =
  | { kind: 'click'; config: ClickConfig }
  | { kind: 'vpp-startup'; config: VppStartupConf }
  | { kind: 'vpp-cli'; config: VppCliScript };

const VPP_STANZA = /^\s*(unix|dpdk|cpu|buffers|plugins|api-trace|api-segment|statseg|socksvr|memory)\s*\{/m;
const VPP_COMMAND = /^\s*(set\s+int\S*|create\s+\S+|comment\s*\{|ip\s+route|lcp\s+create)\b/m;
const CLICK_SYNTAX = /::|->|\belementclass\b|\brequire\s*\(/;

/** Which router configuration a file is, from its name and then its content. */
export function detectConfigKind(path: string, text: string): RouterConfigKind | undefined {
  const ext = extname(path).toLowerCase();
  const name = basename(path).toLowerCase();
  if (ext === '.click') return 'click';
  if (name === 'startup.conf' || name === 'vpp.conf') return 'vpp-startup';
  if (ext === '.cli' || ext === '.gate' || ext === '.vpp') return 'vpp-cli';
  if (VPP_STANZA.test(text)) return 'vpp-startup';
  if (VPP_COMMAND.test(text)) return 'vpp-cli';
  if (CLICK_SYNTAX.test(text)) return 'click';
  return undefined;
}

export function parseRouterConfig(path: string, text: string, kind = detectConfigKind(path, text)): RouterConfig | undefined {
  switch (kind) {
    case 'click':
      return { kind, config: parseClickConfig(text) };
    case 'vpp-startup':
      return { kind, config: parseVppStartupConf(text) };
    case 'vpp-cli':
      return { kind, config: parseVppCliScript(text) };
    default:
      return undefined;
  }
}
