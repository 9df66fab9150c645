import type { ConfigDiagnostic, SourceRange } from '../sourceText.ts';
import type { ConfigArg } from './clickArgs.ts';
import type { DeviceKind } from './deviceElements.ts';

export interface ClickElement {
  /** Declared name, or Click's generated `Class@N` for an anonymous element. */
  name: string;
  className: string;
  anonymous: boolean;
  /** The configuration string as written (between the parentheses), '' when there is none. */
  config: string;
  args: ConfigArg[];
  /** From the name (or the class, for an anonymous element) to the closing parenthesis. */
  range: SourceRange;
  nameRange: SourceRange;
  classRange: SourceRange;
  /** Inside the parentheses; absent when the element has no configuration string. */
  configRange?: SourceRange;
  /** Name of the `elementclass` whose body declares it; absent at the top level. */
  compound?: string;
}

export interface ClickConnection {
  from: string;
  fromPort: number;
  to: string;
  toPort: number;
  /** `->` push/pull connection, `=>` port-list connection, `~>` FastClick context connection. */
  arrow: '->' | '=>' | '~>';
  /** From the source element (or its port) to the target element (or its port). */
  range: SourceRange;
  compound?: string;
}

export interface ClickElementClass {
  name: string;
  /** `$formal` parameters, in order. */
  formals: string[];
  /** For `elementclass A B;`, the class A stands for. */
  synonymOf?: string;
  range: SourceRange;
  nameRange: SourceRange;
}

export interface ClickDirective {
  kind: 'require' | 'provide';
  args: ConfigArg[];
  range: SourceRange;
}

export interface ClickDefine {
  /** Without the `$`. */
  name: string;
  value: string;
  range: SourceRange;
  valueRange: SourceRange;
}

/** A packet source or sink of the router: where live inference is shown. */
export interface ClickDeviceIO {
  element: string;
  className: string;
  direction: 'rx' | 'tx';
  kind: DeviceKind;
  /** The port/device/file argument as written, e.g. `0`, `$IFACE`, `"trace.pcap"`. */
  device: string;
  /** The same with `define` variables replaced and quotes removed; absent when a variable is unknown. */
  resolved?: string;
  /** Where the argument's value is (the spot to annotate); absent when the element has none. */
  deviceRange?: SourceRange;
  /** The element's declaration (for a compound instance: the instance's declaration). */
  range: SourceRange;
  /** Set when the element is inside an `elementclass` body: the template, not a running element. */
  compound?: string;
  /**
   * Set for a device element reached through an instance of a compound (`in0 :: MyInput(1)`):
   * the instance's name; `element` is then `instance/inner`, and `deviceRange` points at the
   * instance's argument when the device comes from a compound parameter.
   */
  instance?: string;
}

export interface ClickConfig {
  elements: ClickElement[];
  connections: ClickConnection[];
  elementClasses: ClickElementClass[];
  directives: ClickDirective[];
  defines: ClickDefine[];
  devices: ClickDeviceIO[];
  diagnostics: ConfigDiagnostic[];
}
