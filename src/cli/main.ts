import { CliError, UsageError } from './errors.ts';
import { terminalSafe } from './output.ts';
import { replayCommand, replayHelp } from './commands/replay.ts';
import { compareCommand, compareHelp } from './commands/compare.ts';
import { inferCommand, inferHelp } from './commands/infer.ts';
import { calibrateCommand, calibrateHelp } from './commands/calibrate.ts';
import { psCommand, psHelp } from './commands/ps.ts';
import { recordCommand, recordHelp } from './commands/record.ts';
import { watchCommand, watchHelp } from './commands/watch.ts';
import { serveCommand, serveHelp } from './commands/serve.ts';

type Command = { run: (argv: string[]) => Promise<void>; help: string; summary: string };

const COMMANDS: Record<string, Command> = {
  replay: { run: replayCommand, help: replayHelp, summary: 'print the intervals of a recording or perf output file' },
  compare: { run: compareCommand, help: compareHelp, summary: 'compare two recordings or runs (A/B of router builds): what differs, how much, how sure' },
  infer: { run: inferCommand, help: inferHelp, summary: 'say per interval what the router does: state, loss regime, traffic scenario' },
  calibrate: { run: calibrateCommand, help: calibrateHelp, summary: 'build a model from labelled recordings (a CSV manifest)' },
  ps: { run: psCommand, help: psHelp, summary: 'list the processes of this machine or a lab host, routers first' },
  record: { run: recordCommand, help: recordHelp, summary: 'attach perf to router processes and record their intervals' },
  watch: { run: watchCommand, help: watchHelp, summary: 'attach perf to router processes and print live inference per interval' },
  serve: { run: serveCommand, help: serveHelp, summary: 'export live inference of a fleet of routers as Prometheus metrics' },
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
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    await cmd.run(rest);
    return 0;
  } catch (e) {
    if (isBrokenPipe(e)) return 0;
    const err = e as Error & { code?: string };
    // parseArgs reports unknown or malformed options with these codes.
    const usageProblem = e instanceof UsageError || (err.code !== undefined && err.code.startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(`vnf-lens: error: ${terminalSafe(err.message, { keepNewlines: true })}\n`);
    return e instanceof CliError ? e.exitCode : usageProblem ? 2 : 1;
  }
}

function isBrokenPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'EPIPE';
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
