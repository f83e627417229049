// Reading a PathResult in tests: device sequences and the hybrid plug of a VM port.
import type { Port } from '../../../src/domain/model.js';
import { qbrName, qvbName, qvoName, tapName } from '../../../src/domain/naming.js';
import type { Hop, PathResult } from '../../../src/domain/path/index.js';

export const devices = (r: PathResult) => r.hops.map((h) => h.device);
export const kinds = (r: PathResult) => r.hops.map((h) => h.kind);

/** The hop of `device` (the n-th one when it occurs several times). */
export function hopOf(r: PathResult, device: string, nth = 1): Hop {
  const found = r.hops.filter((h) => h.device === device)[nth - 1];
  if (!found) throw new Error(`no hop ${nth} on ${device} in ${devices(r).join(' ')}`);
  return found;
}

/** VNIC tap qbr qvb qvo: out of a VM. */
export const vmOut = (name: string, port: Port) => [name, tapName(port.id), qbrName(port.id), qvbName(port.id), qvoName(port.id)];
/** qvo qvb qbr tap VNIC: into a VM. */
export const vmIn = (port: Port, name: string) => [qvoName(port.id), qvbName(port.id), qbrName(port.id), tapName(port.id), name];

export const VM_OUT_KINDS = ['VNIC', 'TAP', 'LINUX_BRIDGE', 'VETH', 'VETH'];
export const VM_IN_KINDS = ['VETH', 'VETH', 'LINUX_BRIDGE', 'TAP', 'VNIC'];

export const TCP_22 = { protocol: 'TCP', destinationPort: 22 } as const;
export const PING = { protocol: 'ICMP', destinationPort: null } as const;
