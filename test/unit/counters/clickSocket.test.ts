import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openClick } from '../../../src/core/counters/click.ts';
import { openHost } from '../../../src/core/host/openHost.ts';
import { findBinary } from '../../support/binaries.ts';

/**
 * A ControlSocket speaking the protocol as Click documents it (elements/userlevel/controlsocket.hh):
 * a version greeting, then per `READ element.handler` a `200` line and `DATA n` followed by n bytes,
 * `510`/`511` for a missing element/handler. The handlers are FastClick's device elements'.
 */
function clickServer(handlers: Map<string, () => string>): Server {
  return createServer((sock) => {
    sock.write('Click::ControlSocket/1.3\r\n');
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.search(/\r?\n/)) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(buf[nl] === '\r' ? nl + 2 : nl + 1);
        const m = /^READ (\S+)$/.exec(line);
        if (!m) {
          sock.write('500 Syntax error\r\n');
          continue;
        }
        const h = handlers.get(m[1]!);
        if (!h) {
          sock.write(`511 No handler named '${m[1]}'\r\n`);
          continue;
        }
        const body = h();
        sock.write(`200-Warning: read handler '${m[1]}' is slow\r\n200 Read handler '${m[1]}' OK\r\nDATA ${Buffer.byteLength(body, 'latin1')}\r\n${body}`);
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vnf-lens-click-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('Click ControlSocket reader (python3 helper against the documented protocol)', { skip: findBinary('python3') ? undefined : 'needs python3' }, () => {
  test('finds the device elements with list/class and reads their counts, over TCP and a Unix socket', async () => {
    let rx = 1000;
    const handlers = new Map<string, () => string>([
      ['list', () => '4\nin0\nclassifier\nout1\nctl\n'],
      ['in0.class', () => 'FromDPDKDevice\n'],
      ['classifier.class', () => 'Classifier\n'],
      ['out1.class', () => 'ToDPDKDevice\n'],
      ['ctl.class', () => 'ControlSocket\n'],
      ['in0.count', () => `${rx}\n`],
      ['in0.hw_dropped', () => '7\n'],
      ['out1.count', () => `${rx - 10}\n`],
      ['out1.dropped', () => '3\n'],
    ]);
    const tcp = clickServer(handlers).listen(0, '127.0.0.1');
    const unixPath = join(dir, 'click.sock');
    const unix = clickServer(handlers).listen(unixPath);
    await new Promise((r) => tcp.once('listening', r));
    const host = await openHost({ kind: 'local' });
    try {
      for (const address of [`tcp:127.0.0.1:${(tcp.address() as AddressInfo).port}`, `unix:${unixPath}`]) {
        const reader = await openClick(host, { kind: 'click', address });
        try {
          assert.match(reader.description, /\(in0, out1\)$/);
          const a = await reader.read();
          rx += 500;
          const b = await reader.read();
          assert.deepEqual(a.ports, [
            { port: 'in0', rx: rx - 500, tx: 0, dropped: 7 },
            { port: 'out1', rx: 0, tx: rx - 510, dropped: 3 },
          ]);
          assert.equal(b.ports[0]!.rx - a.ports[0]!.rx, 500);
        } finally {
          await reader.close();
        }
      }
      await assert.rejects(openClick(host, { kind: 'click', address: 'tcp:127.0.0.1:1' }), /Click ControlSocket.*nothing listens on tcp:127\.0\.0\.1:1/);
    } finally {
      await host.close();
      tcp.close();
      unix.close();
    }
  });
});
