import type { ClickConfig } from '../config/click/clickTypes.ts';
import type { ConfigElement } from './elementCost.ts';

/**
 * The running elements of a Click config whose class can be a C++ class of the
 * binary: top-level declarations (an `elementclass` body is a template) whose class
 * is not one of the config's own compound classes, nor an anonymous one (`{ … }`,
 * which the parser names `@…`: no C++ identifier starts so).
 */
export function clickElementsForCost(config: ClickConfig): ConfigElement[] {
  const compounds = new Set(config.elementClasses.map((c) => c.name));
  return config.elements.filter((e) => e.compound === undefined && !compounds.has(e.className) && !e.className.startsWith('@')).map((e) => ({ name: e.name, className: e.className }));
}
