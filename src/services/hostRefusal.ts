// Hosts are an admin's: a project token that names a host learns nothing
// about it from a refusal. Whether the host is missing, down, of the wrong
// role or out of local VLANs, the project reads one message; an admin keeps
// the precise one.
import type { Caller } from './caller.js';
import { DomainError, fail } from './errors.js';

/** nova's NoValidHost, with the scheduler's reason: the same for every host a project cannot use. */
export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';

/**
 * Runs `work` (which looks up, checks or binds on the host named at `field`);
 * for a project caller, any refusal of that field reads as NO_VALID_HOST.
 */
export async function refusingHostsAlike<T>(caller: Caller, field: string[], work: () => Promise<T>): Promise<T> {
  if (caller.project === null) return work();
  try {
    return await work();
  } catch (error) {
    const input = JSON.stringify(['input', ...field]);
    if (error instanceof DomainError && error.errors.some((e) => JSON.stringify(e.field) === input)) fail('INVALID', field, NO_VALID_HOST);
    throw error;
  }
}
