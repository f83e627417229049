// What a unit of work allocates and frees, told by the services as they do
// it. A what-if reads it to report the allocations a change would make;
// outside a what-if nobody listens and recording costs nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NetworkType } from '../domain/model.js';

export type AllocationEvent =
  | { kind: 'LOCAL_VLAN'; change: Change; hostId: string; networkId: string; vlan: number }
  | { kind: 'SEGMENT'; change: Change; networkId: string; networkType: NetworkType; physicalNetwork: string | null; segmentationId: number | null }
  | { kind: 'ROUTER_PLACEMENT'; change: Change; routerId: string; hostId: string }
  | { kind: 'DHCP_PLACEMENT'; change: Change; networkId: string; hostId: string }
  | { kind: 'IP_ADDRESS'; change: Change; portId: string; subnetId: string; ipAddress: string };

export type Change = 'ALLOCATED' | 'RELEASED';

const storage = new AsyncLocalStorage<AllocationEvent[]>();

/** Whether someone listens: services skip the reads that only the journal needs. */
export const journaling = (): boolean => storage.getStore() !== undefined;

export function record(event: AllocationEvent): void {
  storage.getStore()?.push(event);
}

/** Runs `fn` and collects the events it records. */
export async function withJournal<T>(fn: () => Promise<T>): Promise<{ result: T; events: AllocationEvent[] }> {
  const events: AllocationEvent[] = [];
  const result = await storage.run(events, fn);
  return { result, events };
}
