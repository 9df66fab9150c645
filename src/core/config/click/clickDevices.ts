import type { LineIndex } from '../sourceText.ts';
import type { ConfigArg } from './clickArgs.ts';
import { substituteVariables, unquote } from './clickArgs.ts';
import type { ClickConfig, ClickDeviceIO, ClickElement } from './clickTypes.ts';
import type { DeviceClass } from './deviceElements.ts';
import { DEVICE_CLASSES } from './deviceElements.ts';

/**
 * The packet sources and sinks of a parsed configuration, with the argument
 * naming their port/device/file. Devices inside an `elementclass` are listed
 * once as templates and once per instance of the compound, with the compound's
 * parameters replaced by the instance's arguments.
 */
export function findDevices(config: ClickConfig, lines: LineIndex): ClickDeviceIO[] {
  const defines = new Map(config.defines.map((d) => [d.name, d.value]));
  const formals = new Map(config.elementClasses.map((c) => [c.name, c.formals]));
  const out: ClickDeviceIO[] = [];
  for (const el of config.elements) {
    const dc = DEVICE_CLASSES[el.className];
    if (!dc) continue;
    const arg = deviceArg(el.args, dc);
    const io = entry(lines, el, dc, arg, defines);
    out.push(io);
    if (el.compound === undefined) continue;
    for (const inst of config.elements) {
      if (inst.className !== el.compound) continue;
      out.push(instanceEntry(lines, inst, el, dc, arg, formals.get(el.compound) ?? [], defines));
    }
  }
  return out;
}

function deviceArg(args: ConfigArg[], dc: DeviceClass): ConfigArg | undefined {
  return args.find((a) => a.keyword !== undefined && dc.keywords.includes(a.keyword)) ?? args.find((a) => a.keyword === undefined);
}

function entry(lines: LineIndex, el: ClickElement, dc: DeviceClass, arg: ConfigArg | undefined, vars: ReadonlyMap<string, string>): ClickDeviceIO {
  const io: ClickDeviceIO = { element: el.name, className: el.className, direction: dc.direction, kind: dc.kind, device: arg?.value ?? '', range: el.range };
  const resolved = arg ? substituteVariables(arg.value, vars) : '';
  if (resolved !== undefined) io.resolved = unquote(resolved);
  if (arg) io.deviceRange = lines.range(arg.valueStart, arg.valueEnd);
  if (el.compound !== undefined) io.compound = el.compound;
  return io;
}

function instanceEntry(
  lines: LineIndex,
  inst: ClickElement,
  el: ClickElement,
  dc: DeviceClass,
  arg: ConfigArg | undefined,
  formals: readonly string[],
  defines: ReadonlyMap<string, string>,
): ClickDeviceIO {
  // Compound arguments bind to the formals in order (keyword formals are rare in router configs).
  const positional = inst.args.filter((a) => a.keyword === undefined);
  const vars = new Map(defines);
  for (const f of formals) vars.delete(f);
  formals.forEach((f, i) => {
    const a = positional[i];
    const v = a ? substituteVariables(a.value, defines) : undefined;
    if (v !== undefined) vars.set(f, v);
  });
  const io = entry(lines, el, dc, arg, vars);
  io.element = `${inst.name}/${el.name}`;
  io.range = inst.range;
  io.instance = inst.name;
  delete io.compound;
  if (inst.compound !== undefined) io.compound = inst.compound;
  const direct = arg ? /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(arg.value) : null;
  const bound = direct ? positional[formals.indexOf(direct[1]!)] : undefined;
  if (bound && formals.includes(direct![1]!)) io.deviceRange = lines.range(bound.valueStart, bound.valueEnd);
  return io;
}
