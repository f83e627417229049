// IN_USE refusals name what holds the object back, as far as the caller may
// read it: its own objects by id (ports with their device owner), the rest
// only counted, so that another project's ids never leak.
import { reads, type Caller } from './caller.js';

/** More than this many are summed up rather than listed. */
const MAX_NAMED = 10;

export interface Holder {
  id: string;
  projectId: string;
  /** What the holder is beside its id, e.g. a port's device owner or a floating IP's address. */
  detail?: string | null;
}

/** "port 1 (compute:nova), port 2 (network:dhcp) and 3 ports of other projects" */
export function describeHolders(caller: Caller, kind: string, holders: Holder[]): string {
  const own = holders.filter((h) => reads(caller, h.projectId));
  const others = holders.length - own.length;
  const named = own.slice(0, MAX_NAMED).map((h) => `${kind} ${h.id}${h.detail ? ` (${h.detail})` : ''}`);
  const more = own.length - named.length;
  const rest = [
    ...(more > 0 ? [`${more} more ${plural(kind, more)}`] : []),
    ...(others > 0 ? [`${others} ${plural(kind, others)} of other projects`] : []),
  ];
  const parts = [...named, ...rest];
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

const plural = (kind: string, n: number) => (n === 1 ? kind : `${kind}s`);

/** A port as a holder: named with its device owner (or "no device owner"). */
export const portHolder = (port: { id: string; projectId: string; deviceOwner: string }): Holder => ({
  id: port.id,
  projectId: port.projectId,
  detail: port.deviceOwner || 'no device owner',
});
