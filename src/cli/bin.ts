import { main } from './main.ts';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // `vnf-lens replay big.txt | head` closes the pipe early: that is not an error.
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`vnf-lens: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
