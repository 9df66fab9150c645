import { cliErrorExitCode, UsageError } from './errors.ts';
import { terminalSafe } from './output.ts';
type Command = { load: () => Promise<(argv: string[]) => Promise<void>>; summary: string };

// Each command's module is loaded only when it runs: `vnf-lens replay` never loads the
// exporter, ssh or model code, so every command starts at the cost of what it uses.
const COMMANDS: Record<string, Command> = {
  replay: { load: async () => (await import('./commands/replay.ts')).replayCommand, summary: 'print the intervals of a recording or perf output file' },
  compare: { load: async () => (await import('./commands/compare.ts')).compareCommand, summary: 'compare two recordings or runs (A/B of router builds): what differs, how much, how sure' },
  infer: { load: async () => (await import('./commands/infer.ts')).inferCommand, summary: 'say per interval what the router does: state, loss regime, traffic scenario' },
  calibrate: { load: async () => (await import('./commands/calibrate.ts')).calibrateCommand, summary: 'build a model from labelled recordings (a CSV manifest)' },
  ps: { load: async () => (await import('./commands/ps.ts')).psCommand, summary: 'list the processes of this machine or a lab host, routers first' },
  record: { load: async () => (await import('./commands/record.ts')).recordCommand, summary: 'attach perf to router processes and record their intervals' },
  watch: { load: async () => (await import('./commands/watch.ts')).watchCommand, summary: 'attach perf to router processes and print live inference per interval' },
  cost: { load: async () => (await import('./commands/cost.ts')).costCommand, summary: 'sample a router with perf record and say which config element its CPU goes to' },
  serve: { load: async () => (await import('./commands/serve.ts')).serveCommand, summary: 'export live inference of a fleet of routers as Prometheus metrics' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `vnf-lens — CPU fingerprints of software routers from perf stat

Usage: vnf-lens <command> [options]

Commands:
${lines.join('\n')}

Run 'vnf-lens <command> --help' for a command's options.
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!cmd) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    const run = await cmd.load();
    await run(rest);
    return 0;
  } catch (e) {
    if (isBrokenPipe(e)) return 0;
    const err = e as Error & { code?: string };
    // parseArgs reports unknown or malformed options with these codes.
    const usageProblem = err.code !== undefined && err.code.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`vnf-lens: error: ${terminalSafe(err.message, { keepNewlines: true })}\n`);
    return cliErrorExitCode(e) ?? (usageProblem ? 2 : 1);
  }
}

function isBrokenPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'EPIPE';
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
