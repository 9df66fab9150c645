import { LiveError } from '../core/host/errors.ts';
import { targetFromOptions, type Target } from '../core/host/target.ts';
import { UsageError } from './errors.ts';

/** The options that name the machine a command works on: this one, or a lab host over ssh. */
export const HOST_OPTIONS = {
  local: { type: 'boolean' },
  ssh: { type: 'string' },
  'ssh-config': { type: 'string' },
} as const;

/** The target the host options name; a wrong or missing choice is a usage error. */
export function hostTarget(values: { local?: boolean | undefined; ssh?: string | undefined; 'ssh-config'?: string | undefined }): Target {
  return asUsage(() => targetFromOptions({ ...(values.local ? { local: true } : {}), ...(values.ssh !== undefined ? { ssh: values.ssh } : {}), ...(values['ssh-config'] !== undefined ? { sshConfig: values['ssh-config'] } : {}) }));
}

/** Runs a check that throws LiveError for bad options, as a usage error. */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LiveError) throw new UsageError(e.message);
    throw e;
  }
}
