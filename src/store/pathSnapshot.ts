// What one path question reads (the path engine's PATH_SNAPSHOT_NEEDS), in
// a number of statements that does not depend on the cloud's size: the
// endpoints, their floating IPs, the routers between them, the networks
// and hosts those touch, and the security groups of the endpoint ports.
import { isIpAddress, normalizeIp } from '../domain/addressing.js';
import { DEVICE_OWNER, emptyTopology, type Topology } from '../domain/model.js';
import type { EndpointRef } from '../domain/path/index.js';
import { isUuid } from '../services/ids.js';
import type { Db } from '../services/transaction.js';
import { loadSecurityGroups } from './securitySnapshot.js';
import { portInclude, toFloatingIp, toHost, toInstance, toLocalVlan, toNetwork, toPort, toRouter, toSecurityGroup, toSubnet } from './toDomain.js';

/** Extra routes that lead from router to router are followed this deep at most (the engine stops at 8 routers). */
const MAX_ROUTER_HOPS = 8;

type PortRow = Awaited<ReturnType<typeof loadPorts>>[number];

function loadPorts(db: Db, where: object) {
  return db.port.findMany({ where, include: portInclude, orderBy: { id: 'asc' } });
}

const unique = <T>(xs: (T | null | undefined)[]) => [...new Set(xs.filter((x): x is T => x !== null && x !== undefined))];

export async function loadPathTopology(db: Db, refs: EndpointRef[]): Promise<Topology> {
  const instanceRefs = refs.flatMap((r) => ('instanceId' in r ? [r.instanceId] : []));
  const portRefs = refs.flatMap((r) => ('portId' in r && isUuid(r.portId) ? [r.portId.toLowerCase()] : []));
  const ipRefs = refs.flatMap((r) => ('ipAddress' in r && isIpAddress(r.ipAddress) ? [normalizeIp(r.ipAddress)] : []));
  const instanceMatch = { OR: [{ id: { in: instanceRefs.filter(isUuid).map((r) => r.toLowerCase()) } }, { name: { in: instanceRefs } }] };

  // Endpoints: ports by id, by instance and by fixed IP; floating IPs by address.
  const [endpointPorts, fipsByAddress, instances] = await Promise.all([
    loadPorts(db, { OR: [{ id: { in: portRefs } }, { instance: instanceMatch }, { fixedIps: { some: { ipAddress: { in: ipRefs } } } }] }),
    db.floatingIp.findMany({ where: { floatingIpAddress: { in: ipRefs } } }),
    db.instance.findMany({ where: instanceMatch }),
  ]);
  const ports = new Map<string, PortRow>(endpointPorts.map((p) => [p.id, p]));
  const missing = unique(fipsByAddress.map((f) => f.portId)).filter((id) => !ports.has(id));
  for (const p of missing.length ? await loadPorts(db, { id: { in: missing } }) : []) ports.set(p.id, p);
  const endpointIds = [...ports.keys()];

  // Floating IPs of the endpoint ports, and the instances behind the endpoint ports.
  const [fipsOfPorts, portInstances] = await Promise.all([
    db.floatingIp.findMany({ where: { portId: { in: endpointIds } } }),
    db.instance.findMany({ where: { id: { in: unique([...ports.values()].map((p) => p.instanceId)) } } }),
  ]);
  const floatingIps = new Map([...fipsByAddress, ...fipsOfPorts].map((f) => [f.id, f]));

  // Routers on the endpoints' subnets and of the floating IPs, then through extra routes.
  const endpointSubnets = unique([...ports.values()].flatMap((p) => p.fixedIps.map((ip) => ip.subnetId)));
  const onSubnets = await db.port.findMany({
    where: { deviceOwner: DEVICE_OWNER.routerInterface, fixedIps: { some: { subnetId: { in: endpointSubnets } } } },
    select: { routerId: true },
  });
  let pending = unique([...onSubnets.map((p) => p.routerId), ...[...floatingIps.values()].map((f) => f.routerId)]);
  const routers = new Map<string, Awaited<ReturnType<typeof loadRouters>>[number]>();
  const routerPorts = new Map<string, PortRow>();
  for (let round = 0; pending.length > 0 && round < MAX_ROUTER_HOPS; round++) {
    const [found, theirPorts] = await Promise.all([loadRouters(db, pending), loadPorts(db, { routerId: { in: pending } })]);
    for (const r of found) routers.set(r.id, r);
    for (const p of theirPorts) routerPorts.set(p.id, p);
    const nexthops = unique(found.flatMap((r) => r.routes.map((x) => x.nexthop)));
    const holders = nexthops.length
      ? await loadPorts(db, { fixedIps: { some: { ipAddress: { in: nexthops } } } })
      : [];
    for (const p of holders) if (!p.routerId) ports.set(p.id, p);
    pending = unique(holders.map((p) => p.routerId)).filter((id) => !routers.has(id));
  }

  // Networks with all their subnets, and the ports holding those subnets' gateways.
  const allPorts = [...ports.values(), ...routerPorts.values()];
  const networkIds = unique([...allPorts.map((p) => p.networkId), ...[...floatingIps.values()].map((f) => f.floatingNetworkId)]);
  const [networks, subnets] = await Promise.all([
    db.network.findMany({ where: { id: { in: networkIds } } }),
    db.subnet.findMany({ where: { networkId: { in: networkIds } }, orderBy: { createdAt: 'asc' } }),
  ]);
  const gateways = subnets.filter((s) => s.gatewayIp).map((s) => ({ subnetId: s.id, ipAddress: s.gatewayIp! }));
  const gatewayHolders = gateways.length ? await loadPorts(db, { fixedIps: { some: { OR: gateways } } }) : [];
  for (const p of gatewayHolders) if (!routerPorts.has(p.id)) ports.set(p.id, p);

  // Hosts, their VLANs for these networks, and the endpoint ports' security groups.
  const everyPort = [...ports.values(), ...routerPorts.values()];
  const hostIds = unique([...everyPort.map((p) => p.hostId), ...[...routers.values()].map((r) => r.hostId)]);
  const groupIds = unique(endpointPorts.concat([...ports.values()]).flatMap((p) => p.securityGroups.map((g) => g.securityGroupId)));
  const [hosts, vlans, security] = await Promise.all([
    db.host.findMany({ where: { id: { in: hostIds } } }),
    db.localVlan.findMany({ where: { hostId: { in: hostIds }, networkId: { in: networkIds } } }),
    loadSecurityGroups(db, groupIds),
  ]);
  const remoteIds = Object.keys(security.members).filter((id) => !security.groups.some((g) => g.id === id));
  const remoteGroups = remoteIds.length ? await db.securityGroup.findMany({ where: { id: { in: remoteIds } } }) : [];

  const topology = emptyTopology();
  topology.hosts = hosts.map(toHost);
  topology.networks = networks.map(toNetwork);
  topology.subnets = subnets.map(toSubnet);
  topology.ports = everyPort.map(toPort);
  topology.instances = [...new Map([...instances, ...portInstances].map((i) => [i.id, i])).values()].map(toInstance);
  topology.routers = [...routers.values()].map(toRouter);
  topology.floatingIps = [...floatingIps.values()].map(toFloatingIp);
  topology.securityGroups = [...security.groups, ...remoteGroups.map((g) => toSecurityGroup({ ...g, rules: [] }))];
  topology.localVlans = vlans.map(toLocalVlan);
  topology.groupMembers = security.members;
  return topology;
}

function loadRouters(db: Db, ids: string[]) {
  return db.router.findMany({ where: { id: { in: ids } }, include: { routes: true } });
}
