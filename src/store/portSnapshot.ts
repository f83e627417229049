// A port with its security groups, their rules and the members of the
// groups those rules name: what its iptables chains depend on.
import { emptyTopology, type Topology } from '../domain/model.js';
import type { Db } from '../services/transaction.js';
import { loadSecurityGroups } from './securitySnapshot.js';
import { portInclude, toPort } from './toDomain.js';

export async function loadPortTopology(db: Db, portId: string): Promise<Topology> {
  const topology = emptyTopology();
  const port = await db.port.findUnique({ where: { id: portId }, include: portInclude });
  if (!port) return topology;
  topology.ports = [toPort(port)];
  const { groups, members } = await loadSecurityGroups(db, topology.ports[0].securityGroupIds);
  topology.securityGroups = groups;
  topology.groupMembers = members;
  return topology;
}
