/**
 * VPP reads startup.conf with `unformat`, which ignores line ends, so
 * `cpu { main-core 1 corelist-workers 2-3 }` is valid. To pair keys with values
 * without VPP's per-section grammar, the parser needs to know which keys are
 * flags (take no value); every other key takes the next word. A key alone on
 * its line is a flag whatever this list says, so an unknown flag only
 * misreads when another item shares its line.
 */
export const VPP_FLAG_KEYS: ReadonlySet<string> = new Set([
  // unix
  'nodaemon',
  'interactive',
  'full-coredump',
  'cli-line-mode',
  'cli-no-banner',
  'cli-no-pager',
  // api-trace, socksvr, plugins, devices
  'on',
  'off',
  'enable',
  'disable',
  'default',
  // dpdk
  'no-pci',
  'no-hugetlb',
  'no-multi-seg',
  'no-tx-checksum-offload',
  'enable-tcp-udp-checksum',
  'enable-outer-checksum-offload',
  'enable-lro',
  'decimal-interface-names',
  'iova-mode-va',
  // cpu, nat, session, linux-cp
  'use-pthreads',
  'relative',
  'endpoint-dependent',
  'enable-tcp',
  'lcp-sync',
  'lcp-auto-subint',
  'use-app-socket-api',
]);

/** Keys spelled with two words, each taking one value (`buffers { default data-size 2048 }`). */
export const VPP_TWO_WORD_KEYS: ReadonlySet<string> = new Set(['default data-size', 'default netns', 'default mtu']);
