import type { HostRunner } from '../host/host.ts';
import { type ClickSpec, CounterError, type CounterReader, type CounterTotals, type PortTotals } from './counterSource.ts';
import { countFromText, shown } from './countCheck.ts';
import { HelperProcess } from './helperProcess.ts';

/** Which handlers of which element classes give a router's packets. */
const ROLES: Record<string, { rx?: string[]; tx?: string[]; dropped?: string[] }> = {
  FromDPDKDevice: { rx: ['count'], dropped: ['hw_dropped', 'hw_errors', 'nombufs'] },
  ToDPDKDevice: { tx: ['count'], dropped: ['dropped'] },
  FromDevice: { rx: ['count'], dropped: ['kernel_drops'] },
  ToDevice: { tx: ['count'], dropped: ['drops'] },
};

export interface ClickElement {
  name: string;
  className: string;
}

/** Element names as Click writes them (compound ones with `/`, anonymous ones with `@`): nothing that could end a command. */
const ELEMENT_NAME = /^[A-Za-z0-9_@/.:+-]{1,256}$/;
/** More elements than any router config has; what is over is not asked about. */
const MAX_ELEMENTS = 10_000;

/** `READ list`: the number of elements, then one name per line; lines that are not element names are left out. */
export function parseClickList(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const names = /^\d+$/.test(lines[0] ?? '') ? lines.slice(1) : lines;
  return names.filter((n) => ELEMENT_NAME.test(n)).slice(0, MAX_ELEMENTS);
}

/** ControlSocket 510 (no such element) and 511 (no such handler): the element lacks the handler, as older versions do. */
const ABSENT = /^51[01]\b/;

/** The handlers to read for the device elements of a router; empty when it has none. */
export function clickHandlers(elements: readonly ClickElement[]): string[] {
  const out: string[] = [];
  for (const e of elements) {
    const role = ROLES[e.className];
    if (!role) continue;
    for (const h of [...(role.rx ?? []), ...(role.tx ?? []), ...(role.dropped ?? [])]) out.push(`${e.name}.${h}`);
  }
  return out;
}

/**
 * Per device element its totals from the handler values read: FromDPDKDevice
 * `count` (rx) and `hw_dropped`, ToDPDKDevice `count` (tx) and `dropped`, and the
 * kernel FromDevice/ToDevice likewise. A drop handler the element lacks (510/511)
 * is skipped; any other failed read, and any value that is not a count, goes to
 * `problems` (the reading is then not used: an unreadable value is never zero).
 */
export function clickTotals(elements: readonly ClickElement[], values: Record<string, string>, errors: Record<string, string> = {}, problems: string[] = []): PortTotals[] {
  const out: PortTotals[] = [];
  const num = (h: string, required: boolean): number => {
    const v = values[h];
    if (v === undefined) {
      const err = errors[h];
      if (err !== undefined && !required && ABSENT.test(err)) return 0;
      problems.push(`handler ${h} ${err !== undefined ? `failed: ${shown(err)}` : 'was not answered'}`);
      return 0;
    }
    const n = countFromText(v.trim().split(/\s+/)[0] ?? '');
    if (n === undefined) problems.push(`handler ${h} answered ${shown(v.trim())}, not a count (a whole number from 0 to 2^53)`);
    return n ?? 0;
  };
  for (const e of elements) {
    const role = ROLES[e.className];
    if (!role) continue;
    const sum = (hs: string[] | undefined, required: boolean) => (hs ?? []).reduce((a, h) => a + num(`${e.name}.${h}`, required), 0);
    out.push({ port: e.name, rx: sum(role.rx, true), tx: sum(role.tx, true), dropped: sum(role.dropped, false) });
  }
  return out;
}

/**
 * A Click/FastClick router through its ControlSocket (TCP or Unix, as the config's
 * `ControlSocket` or click's -p/-u made it), via the python3 helper on its host so a
 * Unix socket on a lab host works too. The device elements are found once with
 * `READ list` and `READ NAME.class`; each reading then reads their counters.
 */
export async function openClick(host: HostRunner, spec: ClickSpec, timeoutMs = 5000, onAsking: () => void = () => {}): Promise<CounterReader> {
  const helper = await HelperProcess.start(host, ['click', spec.address], 'Click ControlSocket');
  onAsking();
  const ask = async (handlers: string[]) => {
    let a: Record<string, unknown>;
    try {
      a = await helper.request({ read: handlers }, timeoutMs);
    } catch (e) {
      throw e instanceof CounterError ? new CounterError(`Click ControlSocket: ${e.message}`, e.transient, e.closedByRouter) : e;
    }
    return { values: (a['values'] ?? {}) as Record<string, string>, errors: (a['errors'] ?? {}) as Record<string, string> };
  };
  try {
    const list = await ask(['list']);
    if (list.values['list'] === undefined) throw new CounterError(`Click ControlSocket ${spec.address}: READ list failed (${list.errors['list'] ?? 'no answer'})`);
    const names = parseClickList(list.values['list']);
    const classes = await ask(names.map((n) => `${n}.class`));
    const elements = names.map((n) => ({ name: n, className: (classes.values[`${n}.class`] ?? '').trim() })).filter((e) => ROLES[e.className] !== undefined);
    if (elements.length === 0) throw new CounterError(`Click ControlSocket ${spec.address}: the router has no FromDPDKDevice, ToDPDKDevice, FromDevice or ToDevice element to count`, false);
    const handlers = clickHandlers(elements);
    const reader: CounterReader = {
      spec,
      description: `Click ControlSocket ${spec.address}${host.remote ? ` on ${host.label}` : ''} (${elements.map((e) => e.name).join(', ')})`,
      async read(): Promise<CounterTotals> {
        const r = await ask(handlers);
        const problems: string[] = [];
        const ports = clickTotals(elements, r.values, r.errors, problems);
        return problems.length > 0 ? { ports, problems } : { ports };
      },
      async close() {
        helper.close();
        await helper.done;
      },
    };
    await reader.read();
    return reader;
  } catch (e) {
    helper.close();
    await helper.done;
    throw e;
  }
}
