// The whole cloud out of the database as import rows, one statement per
// table (an import compares against all of it, an export prints all of it).
import {
  emptyCloud,
  type FloatingIpRow,
  type HostRow,
  type InstanceRow,
  type NetworkRow,
  type PortRow,
  type RouterRow,
  type RuleRow,
  type SecurityGroupRow,
  type Snapshot,
  type SubnetRow,
} from '../../domain/import/model.js';
import { groupBy } from '../../domain/import/group.js';
import type { Db } from '../transaction.js';

/** createdAt as ISO 8601 text (the column holds UTC). */
const CREATED = `to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

type Rows<T> = Promise<T[]>;

export async function loadSnapshot(db: Db): Promise<Snapshot> {
  const q = <T>(sql: string): Rows<T> => db.$queryRawUnsafe<T[]>(sql);
  const hosts = await q<HostRow>(`SELECT id, name, "tunnelIp", roles::text[] AS roles, up, "bridgeMappings", "l2Population", "arpResponder", "enableIsolatedMetadata", "firewallDriver"::text AS "firewallDriver" FROM "Host"`);
  const networks = await q<NetworkRow>(`SELECT id, name, "projectId", "networkType"::text AS "networkType", "segmentationId", "physicalNetwork", external, shared, mtu, ${CREATED} FROM "Network"`);
  const subnets = await q<SubnetRow>(`SELECT id, name, "networkId", "projectId", cidr, "ipVersion", "gatewayIp", "enableDhcp", "hostRoutes", ${CREATED} FROM "Subnet"`);
  const groups = await q<SecurityGroupRow>(`SELECT id, name, "projectId", description, ${CREATED} FROM "SecurityGroup"`);
  const rules = await q<RuleRow>(
    `SELECT id, "securityGroupId", direction::text AS direction, ethertype::text AS ethertype, protocol, "portRangeMin", "portRangeMax", "remoteIpPrefix", "remoteGroupId", ${CREATED} FROM "SecurityGroupRule"`,
  );
  const instances = await q<InstanceRow>(`SELECT id, name, "projectId", "hostId", ${CREATED} FROM "Instance"`);
  const routers = await q<Omit<RouterRow, 'routes'>>(`SELECT id, name, "projectId", "hostId", "gatewayNetworkId", "enableSnat", ${CREATED} FROM "Router"`);
  const routes = await q<{ routerId: string; destination: string; nexthop: string }>(`SELECT "routerId", destination, nexthop FROM "RouterRoute"`);
  const ports = await q<Omit<PortRow, 'fixedIps' | 'securityGroupIds' | 'allowedAddressPairs'>>(
    `SELECT id, name, "networkId", "projectId", "macAddress", "deviceOwner", "deviceId", status::text AS status, "hostId", "portSecurityEnabled", "adminStateUp", "instanceId", "routerId", ${CREATED} FROM "Port"`,
  );
  const fixedIps = await q<{ portId: string; subnetId: string; ipAddress: string }>(`SELECT "portId", "subnetId", "ipAddress" FROM "IpAllocation"`);
  const portGroups = await q<{ portId: string; securityGroupId: string }>(`SELECT "portId", "securityGroupId" FROM "PortSecurityGroup"`);
  const pairs = await q<{ portId: string; ipAddress: string; macAddress: string | null }>(`SELECT "portId", "ipAddress", "macAddress" FROM "AllowedAddressPair"`);
  const floatingIps = await q<FloatingIpRow>(
    `SELECT id, "projectId", "floatingIpAddress", "floatingNetworkId", "floatingPortId", "portId", "fixedIpAddress", "routerId", ${CREATED} FROM "FloatingIp"`,
  );
  const localVlans = await q<{ hostId: string; networkId: string; vlan: number }>(`SELECT "hostId", "networkId", vlan FROM "LocalVlan"`);

  const cloud = emptyCloud();
  const put = <R extends { id: string }>(map: Map<string, R>, rows: R[]) => rows.forEach((row) => map.set(row.id, row));
  put(cloud.hosts, hosts.map((h) => ({ ...h, roles: [...(h.roles ?? [])].sort() })));
  put(cloud.networks, networks);
  put(cloud.subnets, subnets);
  put(cloud.securityGroups, groups);
  put(cloud.rules, rules);
  put(cloud.instances, instances);
  const routesOf = groupBy(routes, (r) => r.routerId);
  put(cloud.routers, routers.map((r) => ({ ...r, routes: (routesOf.get(r.id) ?? []).map(({ destination, nexthop }) => ({ destination, nexthop })) })));
  const ipsOf = groupBy(fixedIps, (r) => r.portId);
  const groupsOf = groupBy(portGroups, (r) => r.portId);
  const pairsOf = groupBy(pairs, (r) => r.portId);
  put(
    cloud.ports,
    ports.map((p) => ({
      ...p,
      fixedIps: (ipsOf.get(p.id) ?? []).map(({ subnetId, ipAddress }) => ({ subnetId, ipAddress })),
      securityGroupIds: (groupsOf.get(p.id) ?? []).map((g) => g.securityGroupId).sort(),
      allowedAddressPairs: (pairsOf.get(p.id) ?? []).map(({ ipAddress, macAddress }) => ({ ipAddress, macAddress })),
    })),
  );
  put(cloud.floatingIps, floatingIps);
  return { cloud, localVlans: localVlans.map((v) => ({ ...v, vlan: Number(v.vlan) })) };
}
