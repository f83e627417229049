// Everything a host's plumbing depends on, in a fixed number of statements
// whatever the host holds: its ports, their networks and subnets, the VLANs
// of those networks on every host (tunnel peers), the peers' ports (l2pop
// flows), the routers scheduled there and their floating IPs. A host without
// l2population has a tunnel to every other host (docs/neutron-model.md,
// "br-tun: tunnels, l2population, flooding"): then every host is read, and
// the cloud's tunnel types in one more statement. A host under the Open
// vSwitch firewall also reads its ports' security groups (two more).
import { emptyTopology, isTunnelType, type NetworkType, type Topology } from '../domain/model.js';
import type { Db } from '../services/transaction.js';
import { loadSecurityGroups } from './securitySnapshot.js';
import { portInclude, toFloatingIp, toHost, toLocalVlan, toNetwork, toPort, toRouter, toSubnet } from './toDomain.js';

export async function loadHostTopology(db: Db, hostId: string): Promise<Topology> {
  const topology = emptyTopology();
  const host = await db.host.findUnique({ where: { id: hostId } });
  if (!host) return topology;
  const [ports, routers] = await Promise.all([
    db.port.findMany({ where: { hostId }, include: portInclude, orderBy: { id: 'asc' } }),
    db.router.findMany({ where: { hostId }, include: { routes: true }, orderBy: { id: 'asc' } }),
  ]);
  const networkIds = [...new Set(ports.map((p) => p.networkId))];
  const routerIds = routers.map((r) => r.id);
  const [networks, subnets, vlans, floatingIps] = await Promise.all([
    db.network.findMany({ where: { id: { in: networkIds } } }),
    db.subnet.findMany({ where: { networkId: { in: networkIds } }, orderBy: { createdAt: 'asc' } }),
    db.localVlan.findMany({ where: { networkId: { in: networkIds } } }),
    db.floatingIp.findMany({ where: { routerId: { in: routerIds } }, orderBy: { floatingIpAddress: 'asc' } }),
  ]);
  const peerIds = [...new Set(vlans.map((v) => v.hostId).filter((id) => id !== hostId))];
  const everyPeer = !host.l2Population;
  const [peers, peerPorts, tunnelTypes] = await Promise.all([
    db.host.findMany({ where: everyPeer ? { id: { not: hostId } } : { id: { in: peerIds } }, orderBy: { id: 'asc' } }),
    db.port.findMany({ where: { networkId: { in: networkIds }, hostId: { in: peerIds } }, include: { fixedIps: true }, orderBy: { id: 'asc' } }),
    // DISTINCT in SQL: the database answers with at most three rows.
    everyPeer
      ? db.$queryRaw<{ networkType: string }[]>`SELECT DISTINCT "networkType"::text AS "networkType" FROM "Network" WHERE "networkType" IN ('VXLAN', 'GRE', 'GENEVE')`
      : [],
  ]);
  topology.hosts = [host, ...peers].map(toHost);
  topology.tunnelTypes = tunnelTypes.map((n) => n.networkType as NetworkType).filter(isTunnelType).sort();
  topology.networks = networks.map(toNetwork);
  topology.subnets = subnets.map(toSubnet);
  topology.ports = [...ports, ...peerPorts].map(toPort);
  topology.routers = routers.map(toRouter);
  topology.floatingIps = floatingIps.map(toFloatingIp);
  topology.localVlans = vlans.map(toLocalVlan);
  // Under the Open vSwitch firewall security groups are br-int flows: the host's ports' groups and their remote groups' members.
  if (host.firewallDriver === 'OPENVSWITCH') {
    const { groups, members } = await loadSecurityGroups(db, [...new Set(ports.flatMap((p) => toPort(p).securityGroupIds))]);
    topology.securityGroups = groups;
    topology.groupMembers = members;
  }
  return topology;
}
