/**
 * Click and FastClick element classes that move packets in or out of the
 * router: where a live annotation (rate, state, loss) belongs. `keywords` name
 * the argument that says which port, device or file; when none of them is
 * given as a keyword, the first plain argument is that argument.
 */
export type DeviceKind = 'dpdk' | 'netmap' | 'kernel' | 'host' | 'pcap-file' | 'summary-file';

export interface DeviceClass {
  direction: 'rx' | 'tx';
  kind: DeviceKind;
  keywords: readonly string[];
}

const dpdkRx: DeviceClass = { direction: 'rx', kind: 'dpdk', keywords: ['PORT'] };
const dpdkTx: DeviceClass = { direction: 'tx', kind: 'dpdk', keywords: ['PORT'] };

export const DEVICE_CLASSES: Readonly<Record<string, DeviceClass>> = {
  FromDPDKDevice: dpdkRx,
  ToDPDKDevice: dpdkTx,
  FromDPDKDeviceXCHG: dpdkRx,
  ToDPDKDeviceXCHG: dpdkTx,
  FromNetmapDevice: { direction: 'rx', kind: 'netmap', keywords: ['DEVNAME'] },
  ToNetmapDevice: { direction: 'tx', kind: 'netmap', keywords: ['DEVNAME'] },
  FromDevice: { direction: 'rx', kind: 'kernel', keywords: ['DEVNAME'] },
  ToDevice: { direction: 'tx', kind: 'kernel', keywords: ['DEVNAME'] },
  PollDevice: { direction: 'rx', kind: 'kernel', keywords: ['DEVNAME'] },
  FromHost: { direction: 'rx', kind: 'host', keywords: ['DEVNAME'] },
  ToHost: { direction: 'tx', kind: 'host', keywords: ['DEVNAME'] },
  FromDump: { direction: 'rx', kind: 'pcap-file', keywords: ['FILENAME'] },
  ToDump: { direction: 'tx', kind: 'pcap-file', keywords: ['FILENAME'] },
  FromIPSummaryDump: { direction: 'rx', kind: 'summary-file', keywords: ['FILENAME'] },
  ToIPSummaryDump: { direction: 'tx', kind: 'summary-file', keywords: ['FILENAME'] },
};
