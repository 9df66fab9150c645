import type { RouterConfig } from './routerConfig.ts';
import type { SourceRange } from './sourceText.ts';

/** A place in a router config where the live inference belongs: a packet source/sink or an interface. */
export interface AnnotationAnchor {
  range: SourceRange;
  /** What the line is, for hovers: `FromDPDKDevice(0) rx`, `dpdk dev 0000:02:00.0 (eth0)`. */
  what: string;
}

/**
 * Click: the device input/output elements (templates inside `elementclass` bodies are
 * not running elements and get none). VPP startup.conf: the `dpdk` devices. VPP CLI
 * scripts: one anchor per interface, on its first line (usually `set interface state … up`).
 */
export function annotationAnchors(rc: RouterConfig): AnnotationAnchor[] {
  switch (rc.kind) {
    case 'click':
      return rc.config.devices
        .filter((d) => d.compound === undefined)
        .map((d) => ({ range: d.range, what: `${d.element} :: ${d.className}(${d.resolved ?? d.device}) ${d.direction}` }));
    case 'vpp-startup':
      return rc.config.devices.map((d) => ({ range: d.range, what: `dpdk dev ${d.address}${d.name ? ` (${d.name})` : ''}` }));
    case 'vpp-cli': {
      const seen = new Set<string>();
      const out: AnnotationAnchor[] = [];
      for (const c of rc.config.commands) {
        const a = c.action;
        if (!a || a.kind === 'ip-route' || seen.has(a.interface)) continue;
        seen.add(a.interface);
        out.push({ range: c.range, what: `interface ${a.interface}` });
      }
      return out;
    }
  }
}
