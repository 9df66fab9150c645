/** Software routers VNF Lens knows by their command line. */
export type RouterKind = 'fastclick' | 'vpp' | 'ovs' | 'snabb' | 'bess' | 't4p4s' | 'dpdk';

export interface RouterInfo {
  kind: RouterKind;
  /** For people: `FastClick`, `VPP`, `DPDK testpmd`, … */
  name: string;
  /** Configuration files named on the command line, in the order found. */
  configFiles: string[];
  /** Other useful facts from the command line (e.g. OVS's database). */
  detail?: string;
}

const DPDK_APPS = new Set(['testpmd', 'l2fwd', 'l3fwd', 'l2fwd-crypto', 'l2fwd-event', 'l2fwd-jobstats', 'l2fwd-keepalive', 'l3fwd-power', 'l3fwd-graph', 'l3fwd-acl', 'ipsec-secgw', 'ip_pipeline', 'pipeline', 'packet_ordering', 'pktgen', 'skeleton', 'rxtx_callbacks', 'vhost', 'vdpa', 'ip_fragmentation', 'ip_reassembly', 'qos_sched', 'distributor', 'link_status_interrupt', 'bond', 'flow_filtering', 'eventdev_pipeline', 'test-pipeline']);

/** Long EAL options: only DPDK applications take them. */
const EAL_LONG = new Set(['--lcores', '--vdev', '--allow', '--block', '--file-prefix', '--proc-type', '--no-huge', '--socket-mem', '--huge-dir', '--in-memory', '--iova-mode', '--main-lcore', '--legacy-mem', '--no-pci', '--base-virtaddr', '--vfio-intr']);

/** Recognises a router from its argv (argv[0] may be a path). */
export function recognizeRouter(argv: readonly string[]): RouterInfo | undefined {
  if (argv.length === 0) return undefined;
  const exe = basename(argv[0]!);
  const args = argv.slice(1);
  if (exe === 'click' || exe === 'fastclick' || exe.startsWith('click-')) return click(args);
  if (exe === 'vpp' || exe === 'vpp_main') return vpp(args);
  if (exe === 'ovs-vswitchd') return ovs(args);
  if (exe === 'snabb' || exe.startsWith('snabb-')) return snabb(args);
  if (exe === 'bessd') return { kind: 'bess', name: 'BESS', configFiles: [] };
  if (exe.includes('t4p4s') || argv[0]!.includes('/t4p4s/')) return t4p4s(args);
  const app = exe.startsWith('dpdk-') ? exe.slice(5) : exe;
  if (DPDK_APPS.has(app) || exe.startsWith('dpdk-') || hasEalOptions(args)) return dpdk(app, args);
  return undefined;
}

/** FastClick: `click [--dpdk EAL… --] [-f FILE | FILE.click] [PARAM=VALUE…]`. */
function click(args: readonly string[]): RouterInfo {
  const own = afterDoubleDash(args);
  const files = optionValues(own, ['-f', '--file']);
  if (files.length === 0) {
    const byName = own.find((a) => a.endsWith('.click'));
    const positional = own.find((a, i) => !a.startsWith('-') && !a.includes('=') && !takesValue(own[i - 1]));
    const f = byName ?? positional;
    if (f !== undefined) files.push(f);
  }
  return { kind: 'fastclick', name: 'FastClick', configFiles: files };
}

function takesValue(prev: string | undefined): boolean {
  return prev !== undefined && ['-f', '--file', '-e', '--expression', '-p', '--port', '-u', '--unix-socket', '-h', '--handler', '-o', '--output', '-j', '--threads'].includes(prev);
}

/** VPP: `vpp -c startup.conf`, or an inline config with `unix { startup-config FILE }` / `exec FILE`. */
function vpp(args: readonly string[]): RouterInfo {
  const files = optionValues(args, ['-c']);
  const inline = args.join(' ');
  for (const m of inline.matchAll(/\b(?:startup-config|exec)\s+([^\s{}]+)/g)) files.push(m[1]!);
  return { kind: 'vpp', name: 'VPP', configFiles: files };
}

/** OVS keeps its configuration in OVSDB: report the database it connects to. */
function ovs(args: readonly string[]): RouterInfo {
  const db = args.find((a) => /^(unix|tcp|ssl):/.test(a));
  const info: RouterInfo = { kind: 'ovs', name: 'Open vSwitch', configFiles: [] };
  if (db !== undefined) info.detail = `database ${db}`;
  return info;
}

/** snabb: `snabb PROGRAM … --conf FILE` (lwaftr), or a config file as last argument. */
function snabb(args: readonly string[]): RouterInfo {
  const files = optionValues(args, ['--conf', '-c', '--config']);
  if (files.length === 0) {
    const f = args.find((a) => /\.(conf|lua|config)$/.test(a) && !a.startsWith('-'));
    if (f !== undefined) files.push(f);
  }
  const info: RouterInfo = { kind: 'snabb', name: 'Snabb', configFiles: files };
  if (args[0] !== undefined && !args[0].startsWith('-')) info.detail = `program ${args.slice(0, 2).filter((a) => !a.startsWith('-')).join(' ')}`;
  return info;
}

function t4p4s(args: readonly string[]): RouterInfo {
  // Its --config is DPDK's lcore map, not a file: the P4 program is the configuration.
  const files = args.filter((a) => /\.(p4|p4_16|p4_14)$/.test(a));
  return { kind: 't4p4s', name: 'T4P4S', configFiles: files };
}

/** DPDK applications: EAL options, then `--`, then the application's own options. */
function dpdk(app: string, args: readonly string[]): RouterInfo {
  const own = afterDoubleDash(args);
  const files = optionValues(own, ['-f', '--cfgfile', '--config-file', '--cmdline-file', '--cfg']);
  return { kind: 'dpdk', name: `DPDK ${app}`, configFiles: files };
}

function hasEalOptions(args: readonly string[]): boolean {
  const dd = args.indexOf('--');
  const eal = dd < 0 ? args : args.slice(0, dd);
  if (eal.some((a) => EAL_LONG.has(a.split('=')[0]!))) return true;
  if (dd < 0) return false;
  // Short options only count with a core list (-l 0-3) or a hex core mask (-c 0x3).
  for (let i = 0; i + 1 < eal.length; i++) {
    const v = eal[i + 1]!;
    if (eal[i] === '-l' && /^\d[\d,@()-]*$/.test(v)) return true;
    if (eal[i] === '-c' && /^0x[0-9a-fA-F]+$/.test(v)) return true;
  }
  return false;
}

/** The arguments after the first `--` (DPDK apps put EAL options before it), or all. */
function afterDoubleDash(args: readonly string[]): readonly string[] {
  const dd = args.indexOf('--');
  return dd < 0 ? args : args.slice(dd + 1);
}

/** Values of an option given as `-f X`, `--file X` or `--file=X`. */
function optionValues(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (names.includes(a) && i + 1 < args.length) out.push(args[++i]!);
    else {
      const eq = a.indexOf('=');
      if (eq > 0 && a.startsWith('--') && names.includes(a.slice(0, eq))) out.push(a.slice(eq + 1));
    }
  }
  return out;
}

function basename(p: string): string {
  const slash = p.lastIndexOf('/');
  return slash < 0 ? p : p.slice(slash + 1);
}
