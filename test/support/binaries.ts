import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of an installed program (PATH, then the sbin folders), or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Why a test cannot run here, or undefined when every program it needs is installed.
 * Tests skip with this message only when a program is really missing.
 */
export function missingBinaries(...names: string[]): string | undefined {
  const missing = names.filter((n) => findBinary(n) === undefined);
  if (missing.length === 0) return undefined;
  return `needs ${missing.join(', ')} (Debian: apt install ${[...new Set(missing.map(debianPackage))].join(' ')})`;
}

function debianPackage(bin: string): string {
  if (bin === 'sshd' || bin === 'ssh-keygen' || bin === 'ssh') return bin === 'sshd' ? 'openssh-server' : 'openssh-client';
  if (bin === 'dpdk-testpmd') return 'dpdk-dev';
  if (bin === 'perf') return 'linux-perf';
  if (bin === 'useradd' || bin === 'userdel') return 'passwd';
  return bin;
}
