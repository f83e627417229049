// What one path question reads (the path engine's PATH_SNAPSHOT_NEEDS), in
// four SQL statements whatever the cloud's size: the endpoints with their
// floating IPs and instances; the routers between them, extra routes
// followed inside the database; the networks with their subnets and gateway
// holders; the hosts, local VLANs and security groups. Each statement
// returns its row sets as JSON arrays in one round trip, because the round
// trips, not the rows, are what a path question costs.
import { isIpAddress, normalizeIp } from '../domain/addressing.js';
import { DEVICE_OWNER, emptyTopology, type Topology } from '../domain/model.js';
import type { EndpointRef } from '../domain/path/index.js';
import { isUuid } from '../services/ids.js';
import type { Db } from '../services/transaction.js';
import { preparedStatement } from './db.js';
import { toFloatingIp, toHost, toInstance, toLocalVlan, toNetwork, toPort, toRouter, toSecurityGroup, toSubnet } from './toDomain.js';

/** Extra routes that lead from router to router are followed this deep at most (the engine stops at 8 routers). */
const MAX_ROUTER_HOPS = 8;

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The rows of `from` as one JSON array of `item`, in `order`; [] when there are none. */
const list = (item: string, from: string, order: string) => `(SELECT COALESCE(json_agg(${item} ORDER BY ${order}), '[]') FROM ${from})`;

/** A port (alias p) with its child rows, as toPort reads it. */
const PORT = `to_jsonb(p) || jsonb_build_object(
  'fixedIps', ${list(`json_build_object('subnetId', ip."subnetId", 'ipAddress', ip."ipAddress")`, `"IpAllocation" ip WHERE ip."portId" = p.id`, `ip."subnetId", ip."ipAddress"`)},
  'securityGroups', ${list(`json_build_object('securityGroupId', g."securityGroupId")`, `"PortSecurityGroup" g WHERE g."portId" = p.id`, 'g."securityGroupId"')},
  'allowedAddressPairs', ${list(`json_build_object('ipAddress', a."ipAddress", 'macAddress', a."macAddress")`, `"AllowedAddressPair" a WHERE a."portId" = p.id`, 'a."ipAddress"')})`;

/**
 * `= ANY` of the ids `select` yields: computed once, then looked up by
 * index (an IN over a small CTE may be planned as a scan of the whole table).
 */
const anyOf = (select: string) => `ANY(ARRAY(${select}))`;

const ports = (where: string) => list(PORT, `"Port" p WHERE ${where}`, 'p.id');

/**
 * $1 instance ids, $2 instance names, $3 addresses, $4 port ids. The ports
 * the references name (direct), the ports behind floating IPs given by
 * address (behind), the floating IPs by address and of all those ports, and
 * the instances named and of all those ports.
 */
const ENDPOINTS = preparedStatement(`
WITH named AS (
  SELECT * FROM "Instance" WHERE id = ANY($1::uuid[]) OR name = ANY($2::text[])
), by_address AS (
  SELECT * FROM "FloatingIp" WHERE "floatingIpAddress" = ANY($3::text[])
), direct AS (
  SELECT id FROM "Port" WHERE id = ANY($4::uuid[])
  UNION SELECT p.id FROM "Port" p JOIN named ON p."instanceId" = named.id
  UNION SELECT "portId" FROM "IpAllocation" WHERE "ipAddress" = ANY($3::text[])
), endpoint AS (
  SELECT id FROM direct UNION SELECT "portId" FROM by_address WHERE "portId" IS NOT NULL
)
SELECT
  ${ports(`p.id = ${anyOf('SELECT id FROM direct')}`)} AS direct,
  ${ports(`p.id = ${anyOf('SELECT id FROM endpoint EXCEPT SELECT id FROM direct')}`)} AS behind,
  ${list('to_json(f)', `(SELECT * FROM by_address UNION SELECT * FROM "FloatingIp" WHERE "portId" = ${anyOf('SELECT id FROM endpoint')}) f`, 'f.id')} AS "floatingIps",
  ${list('to_json(i)', `(SELECT * FROM named UNION SELECT * FROM "Instance" WHERE id = ${anyOf(`SELECT "instanceId" FROM "Port" WHERE id = ${anyOf('SELECT id FROM endpoint')}`)}) i`, 'i.id')} AS instances`);

/**
 * $1 the endpoints' subnets, $2 the floating IPs' routers. The routers with
 * an interface on those subnets and those of the floating IPs, then the
 * routers holding the next hops of their extra routes, transitively; all
 * their ports; and the other ports holding those next hops.
 */
const ROUTERS = preparedStatement(`
WITH RECURSIVE reach(id, depth) AS (
  SELECT p."routerId", 0 FROM "Subnet" s
    JOIN "Port" p ON p."networkId" = s."networkId" AND p."deviceOwner" = '${DEVICE_OWNER.routerInterface}'
    JOIN "IpAllocation" ip ON ip."portId" = p.id AND ip."subnetId" = s.id
   WHERE s.id = ANY($1::uuid[]) AND p."routerId" IS NOT NULL
  UNION SELECT id, 0 FROM "Router" WHERE id = ANY($2::uuid[])
  UNION SELECT p."routerId", reach.depth + 1 FROM reach
    JOIN "RouterRoute" rr ON rr."routerId" = reach.id
    JOIN "IpAllocation" ip ON ip."ipAddress" = rr.nexthop
    JOIN "Port" p ON p.id = ip."portId"
   WHERE p."routerId" IS NOT NULL AND reach.depth < ${MAX_ROUTER_HOPS - 1}
), router AS (
  SELECT DISTINCT id FROM reach
)
SELECT
  ${list(
    `to_jsonb(r) || jsonb_build_object('routes', ${list(`json_build_object('destination', x.destination, 'nexthop', x.nexthop)`, `"RouterRoute" x WHERE x."routerId" = r.id`, 'x.destination, x.nexthop')})`,
    `"Router" r WHERE r.id = ${anyOf('SELECT id FROM router')}`,
    'r.id',
  )} AS routers,
  ${ports(`p."routerId" = ${anyOf('SELECT id FROM router')}`)} AS "routerPorts",
  ${ports(`p."routerId" IS NULL AND p.id = ${anyOf(`
    SELECT ip."portId" FROM "IpAllocation" ip JOIN "RouterRoute" rr ON rr.nexthop = ip."ipAddress" WHERE rr."routerId" = ${anyOf('SELECT id FROM router')}`)}`)} AS "nexthopHolders"`);

/** $1 network ids. The networks, all their subnets, and the ports holding those subnets' gateway addresses. */
const NETWORKS = preparedStatement(`
WITH subnet AS (
  SELECT * FROM "Subnet" WHERE "networkId" = ANY($1::uuid[])
)
SELECT
  ${list('to_json(n)', `"Network" n WHERE n.id = ANY($1::uuid[])`, 'n.id')} AS networks,
  ${list('to_json(s)', 'subnet s', 's."createdAt", s.id')} AS subnets,
  ${ports(`p.id = ${anyOf(`SELECT ip."portId" FROM "IpAllocation" ip JOIN subnet s ON ip."subnetId" = s.id AND ip."ipAddress" = s."gatewayIp"`)}`)} AS "gatewayHolders"`);

/**
 * $1 host ids, $2 network ids, $3 security group ids. The hosts, their
 * local VLANs of those networks, the groups with their rules, the other
 * groups those rules name as remote group, and the member addresses (fixed
 * IPs and allowed address pairs) of every remote group.
 */
const HOSTS_AND_GROUPS = preparedStatement(`
WITH remote AS (
  SELECT DISTINCT "remoteGroupId" AS id FROM "SecurityGroupRule" WHERE "securityGroupId" = ANY($3::uuid[]) AND "remoteGroupId" IS NOT NULL
), member AS (
  -- Per member port, by index: a join would be planned as a scan of every address.
  SELECT DISTINCT psg."securityGroupId" AS "groupId", unnest(
         ARRAY(SELECT ip."ipAddress" FROM "IpAllocation" ip WHERE ip."portId" = psg."portId")
      || ARRAY(SELECT ap."ipAddress" FROM "AllowedAddressPair" ap WHERE ap."portId" = psg."portId")) AS address
    FROM "PortSecurityGroup" psg WHERE psg."securityGroupId" = ${anyOf('SELECT id FROM remote')}
)
SELECT
  ${list('to_json(h)', `"Host" h WHERE h.id = ANY($1::uuid[])`, 'h.id')} AS hosts,
  ${list('to_json(v)', `"LocalVlan" v WHERE v."hostId" = ANY($1::uuid[]) AND v."networkId" = ANY($2::uuid[])`, 'v."hostId", v."networkId"')} AS "localVlans",
  ${list(
    `to_jsonb(g) || jsonb_build_object('rules', ${list('to_json(r)', `"SecurityGroupRule" r WHERE r."securityGroupId" = g.id`, 'r.id')})`,
    `"SecurityGroup" g WHERE g.id = ANY($3::uuid[])`,
    'g.id',
  )} AS groups,
  ${list('to_json(g)', `"SecurityGroup" g WHERE g.id = ${anyOf('SELECT id FROM remote')} AND g.id <> ALL($3::uuid[])`, 'g.id')} AS "remoteGroups",
  ${list('to_json(m)', 'member m', 'm."groupId"::text, m.address')} AS members`);

async function fetchOne(db: Db, sql: string, ...params: unknown[]): Promise<Row> {
  const [row] = await db.$queryRawUnsafe<Row[]>(sql, ...params);
  return row;
}

const unique = <T>(xs: (T | null | undefined)[]) => [...new Set(xs.filter((x): x is T => x !== null && x !== undefined))];

export async function loadPathTopology(db: Db, refs: EndpointRef[]): Promise<Topology> {
  const instanceRefs = refs.flatMap((r) => ('instanceId' in r ? [r.instanceId] : []));
  const portRefs = refs.flatMap((r) => ('portId' in r && isUuid(r.portId) ? [r.portId.toLowerCase()] : []));
  const ipRefs = refs.flatMap((r) => ('ipAddress' in r && isIpAddress(r.ipAddress) ? [normalizeIp(r.ipAddress)] : []));

  // Endpoints: ports by id, by instance and by fixed IP, then those behind floating IPs given by address.
  const endpoints = await fetchOne(db, ENDPOINTS, instanceRefs.filter(isUuid).map((r) => r.toLowerCase()), instanceRefs, ipRefs, portRefs);
  const ports = new Map<string, Row>([...endpoints.direct, ...endpoints.behind].map((p: Row) => [p.id, p]));
  const floatingIps: Row[] = endpoints.floatingIps;

  // Routers on the endpoints' subnets and of the floating IPs, then through extra routes.
  const endpointSubnets = unique([...ports.values()].flatMap((p) => p.fixedIps.map((ip: Row) => ip.subnetId as string)));
  const reached = await fetchOne(db, ROUTERS, endpointSubnets, unique(floatingIps.map((f) => f.routerId as string | null)));
  const routerPorts = new Map<string, Row>(reached.routerPorts.map((p: Row) => [p.id, p]));
  for (const p of reached.nexthopHolders) ports.set(p.id, p);

  // Networks with all their subnets, and the ports holding those subnets' gateways.
  const allPorts = [...ports.values(), ...routerPorts.values()];
  const networkIds = unique([...allPorts.map((p) => p.networkId as string), ...floatingIps.map((f) => f.floatingNetworkId as string)]);
  const networks = await fetchOne(db, NETWORKS, networkIds);
  for (const p of networks.gatewayHolders) if (!routerPorts.has(p.id)) ports.set(p.id, p);

  // Hosts, their VLANs for these networks, and the security groups of the ports (not of router ports).
  const everyPort = [...ports.values(), ...routerPorts.values()];
  const hostIds = unique([...everyPort.map((p) => p.hostId as string | null), ...reached.routers.map((r: Row) => r.hostId as string | null)]);
  const groupIds = unique([...ports.values()].flatMap((p) => p.securityGroups.map((g: Row) => g.securityGroupId as string)));
  const rest = await fetchOne(db, HOSTS_AND_GROUPS, hostIds, networkIds, groupIds);
  const groups = rest.groups.map(toSecurityGroup);
  const remoteIds = unique(groups.flatMap((g: ReturnType<typeof toSecurityGroup>) => g.rules.map((r) => r.remoteGroupId)));
  const members: Record<string, string[]> = Object.fromEntries(remoteIds.map((id) => [id, []]));
  for (const m of rest.members) members[m.groupId].push(m.address);

  const topology = emptyTopology();
  topology.hosts = rest.hosts.map(toHost);
  topology.networks = networks.networks.map(toNetwork);
  topology.subnets = networks.subnets.map(toSubnet);
  topology.ports = everyPort.map(toPort);
  topology.instances = endpoints.instances.map(toInstance);
  topology.routers = reached.routers.map(toRouter);
  topology.floatingIps = floatingIps.map(toFloatingIp);
  topology.securityGroups = [...groups, ...rest.remoteGroups.map((g: Row) => toSecurityGroup({ ...g, rules: [] }))];
  topology.localVlans = rest.localVlans.map(toLocalVlan);
  topology.groupMembers = members;
  return topology;
}
