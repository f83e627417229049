// Routers: interfaces (qr-) and gateway (qg-) ports, scheduled on an L3
// agent host with their first port (docs/neutron-model.md, "Routers and
// their scheduling (legacy L3)").
import { cidrContains, cidrsOverlap, isIpAddress, normalizeIp, parseCidr, parsePrefix } from '../domain/addressing.js';
import { DEVICE_OWNER } from '../domain/model.js';
import { bindPortToHost } from './binding.js';
import { fail } from './errors.js';
import { idFor, mustBeUuid, checkIdFree } from './ids.js';
import { findNetwork } from './networks.js';
import { createPort, removePort } from './ports.js';
import { record } from './journal.js';
import { pickL3Host } from './scheduling.js';
import { checkQuota } from './quotas.js';
import { findSubnet } from './subnets.js';
import { ipAddressInUse } from './ipam.js';
import { ADMIN_CALLER, type Caller } from './caller.js';
import { describeHolders, portHolder } from './inUse.js';
import type { Db } from './transaction.js';
import { checkName, checkProjectId } from './validate.js';

export interface CreateRouterInput {
  id?: string | null;
  name: string;
  projectId?: string | null;
  routes?: { destination: string; nexthop: string }[] | null;
}

export async function createRouter(db: Db, input: CreateRouterInput) {
  const id = idFor(input.id);
  checkName(input.name, ['name'], false);
  const projectId = checkProjectId(input.projectId);
  const routes = (input.routes ?? []).map((route, i) => {
    const destination = parsePrefix(route.destination);
    if (!destination) fail('INVALID', ['routes', String(i), 'destination'], `'${route.destination}' is not a CIDR`);
    if (!isIpAddress(route.nexthop)) fail('INVALID', ['routes', String(i), 'nexthop'], `'${route.nexthop}' is not an IP address`);
    return { destination: destination.text, nexthop: normalizeIp(route.nexthop) };
  });
  await checkIdFree(db, id);
  await checkQuota(db, projectId, 'ROUTER');
  return db.router.create({ data: { id, name: input.name, projectId, routes: { create: routes } } });
}

export async function findRouter(db: Db, id: string, field: string[]) {
  const router = await db.router.findUnique({ where: { id: mustBeUuid(id, field, 'router') } });
  if (!router) fail('NOT_FOUND', field, `router '${id}' does not exist`);
  return router;
}

/** Locks the router row: interface and gateway changes of one router serialize. */
async function lockRouter(db: Db, routerId: string) {
  await db.$queryRaw`SELECT 1 FROM "Router" WHERE id = ${routerId}::uuid FOR NO KEY UPDATE`;
}

/** Schedules the router when it has no host yet; returns its host, or null when no L3 agent is available. */
async function ensureScheduled(db: Db, router: { id: string; hostId: string | null }) {
  if (router.hostId) return db.host.findUniqueOrThrow({ where: { id: router.hostId } });
  const host = await pickL3Host(db);
  if (!host) return null; // no L3 agent: the router stays unscheduled, as in Neutron
  await db.router.update({ where: { id: router.id }, data: { hostId: host.id } });
  record({ kind: 'ROUTER_PLACEMENT', change: 'ALLOCATED', routerId: router.id, hostId: host.id });
  return db.host.findUniqueOrThrow({ where: { id: host.id } });
}

/** Binds a router port on the router's host when that host can take it (up). */
async function plugRouterPort(db: Db, port: { id: string; networkId: string; hostId: string | null }, host: Awaited<ReturnType<typeof ensureScheduled>>) {
  if (host && host.up) await bindPortToHost(db, port, host);
}

export async function addRouterInterface(db: Db, input: { routerId: string; subnetId: string }) {
  const router = await findRouter(db, input.routerId, ['routerId']);
  await lockRouter(db, router.id);
  const subnet = await findSubnet(db, input.subnetId, ['subnetId']);
  const network = await db.network.findUniqueOrThrow({ where: { id: subnet.networkId } });
  if (network.external) fail('INVALID', ['subnetId'], `subnet ${subnet.id} is on external network ${network.id}; use setRouterGateway`);
  if (!subnet.gatewayIp) fail('INVALID', ['subnetId'], `subnet ${subnet.id} has no gateway IP for the router to hold`);
  const attached = await db.port.findMany({
    where: { routerId: router.id, deviceOwner: DEVICE_OWNER.routerInterface },
    include: { fixedIps: { include: { subnet: true } } },
  });
  for (const port of attached) {
    for (const ip of port.fixedIps) {
      if (ip.subnetId === subnet.id) fail('CONFLICT', ['subnetId'], `router ${router.id} already has an interface on subnet ${subnet.id}`);
      if (cidrsOverlap(ip.subnet.cidr, subnet.cidr)) {
        fail('CONFLICT', ['subnetId'], `${subnet.cidr} overlaps ${ip.subnet.cidr} (subnet ${ip.subnetId}) already on router ${router.id}`);
      }
    }
  }
  const holder = await db.ipAllocation.findUnique({ where: { subnetId_ipAddress: { subnetId: subnet.id, ipAddress: subnet.gatewayIp } } });
  if (holder) fail('CONFLICT', ['subnetId'], ipAddressInUse(network.id, subnet.gatewayIp));
  const host = await ensureScheduled(db, router);
  const port = await createPort(
    db,
    {
      networkId: network.id,
      projectId: router.projectId,
      fixedIps: [{ subnetId: subnet.id, ipAddress: subnet.gatewayIp }],
      deviceOwner: DEVICE_OWNER.routerInterface,
      deviceId: router.id,
    },
    { routerId: router.id },
    ['subnetId'],
  );
  await plugRouterPort(db, port, host);
  return {
    router: await db.router.findUniqueOrThrow({ where: { id: router.id } }),
    port: await db.port.findUniqueOrThrow({ where: { id: port.id } }),
  };
}

/** The floating IPs as named in an IN_USE refusal: by id and address, as far as the caller reads them. */
const floatingIpsNamed = (caller: Caller, fips: { id: string; projectId: string; floatingIpAddress: string }[]) =>
  describeHolders(caller, 'floating IP', fips.map((f) => ({ id: f.id, projectId: f.projectId, detail: f.floatingIpAddress })));

/** Floating IPs whose NAT runs on this router for ports of `subnetIds` (all when omitted). */
async function floatingIpsThrough(db: Db, routerId: string, subnetIds?: string[]) {
  const fips = await db.floatingIp.findMany({
    where: { routerId, portId: { not: null } },
    include: { port: { include: { fixedIps: true } } },
    orderBy: { id: 'asc' },
  });
  return subnetIds ? fips.filter((f) => f.port?.fixedIps.some((ip) => subnetIds.includes(ip.subnetId))) : fips;
}

export async function removeRouterInterface(db: Db, input: { routerId: string; subnetId: string }, caller: Caller = ADMIN_CALLER) {
  const router = await findRouter(db, input.routerId, ['routerId']);
  await lockRouter(db, router.id);
  const subnet = await findSubnet(db, input.subnetId, ['subnetId']);
  const port = await db.port.findFirst({
    where: { routerId: router.id, deviceOwner: DEVICE_OWNER.routerInterface, fixedIps: { some: { subnetId: subnet.id } } },
  });
  if (!port) fail('NOT_FOUND', ['subnetId'], `router ${router.id} has no interface on subnet ${subnet.id}`);
  const inUse = await floatingIpsThrough(db, router.id, [subnet.id]);
  if (inUse.length > 0) {
    fail('IN_USE', ['subnetId'], `Router interface for subnet ${subnet.id} on router ${router.id} cannot be deleted, as it is required by ${floatingIpsNamed(caller, inUse)}.`);
  }
  await removePort(db, port);
  return db.router.findUniqueOrThrow({ where: { id: router.id } });
}

export async function setRouterGateway(db: Db, input: { routerId: string; externalNetworkId: string; enableSnat?: boolean | null }, caller: Caller = ADMIN_CALLER) {
  const router = await findRouter(db, input.routerId, ['routerId']);
  await lockRouter(db, router.id);
  const network = await findNetwork(db, input.externalNetworkId, ['externalNetworkId']);
  if (!network.external) fail('INVALID', ['externalNetworkId'], `network ${network.id} is not external (router:external)`);
  const enableSnat = input.enableSnat ?? true;
  const current = await db.port.findFirst({ where: { routerId: router.id, deviceOwner: DEVICE_OWNER.routerGateway } });
  if (current && router.gatewayNetworkId === network.id) {
    return db.router.update({ where: { id: router.id }, data: { enableSnat } });
  }
  if (current) {
    const fips = await floatingIpsThrough(db, router.id);
    if (fips.length > 0) fail('IN_USE', ['externalNetworkId'], `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${router.gatewayNetworkId} is required by ${floatingIpsNamed(caller, fips)}.`);
    await removePort(db, current);
  }
  const subnet = await db.subnet.findFirst({ where: { networkId: network.id }, orderBy: [{ ipVersion: 'asc' }, { createdAt: 'asc' }] });
  if (!subnet) fail('INVALID', ['externalNetworkId'], `external network ${network.id} has no subnet`);
  const host = await ensureScheduled(db, router);
  const port = await createPort(
    db,
    {
      networkId: network.id,
      projectId: router.projectId,
      fixedIps: [{ subnetId: subnet.id }],
      deviceOwner: DEVICE_OWNER.routerGateway,
      deviceId: router.id,
    },
    { routerId: router.id },
    ['externalNetworkId'],
  );
  await plugRouterPort(db, port, host);
  return db.router.update({ where: { id: router.id }, data: { gatewayNetworkId: network.id, enableSnat } });
}

export async function clearRouterGateway(db: Db, input: { routerId: string }, caller: Caller = ADMIN_CALLER) {
  const router = await findRouter(db, input.routerId, ['routerId']);
  await lockRouter(db, router.id);
  const port = await db.port.findFirst({ where: { routerId: router.id, deviceOwner: DEVICE_OWNER.routerGateway } });
  if (!port) fail('NOT_FOUND', ['routerId'], `router ${router.id} has no gateway`);
  const inUse = await floatingIpsThrough(db, router.id);
  if (inUse.length > 0) fail('IN_USE', ['routerId'], `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${router.gatewayNetworkId} is required by ${floatingIpsNamed(caller, inUse)}.`);
  await removePort(db, port);
  return db.router.update({ where: { id: router.id }, data: { gatewayNetworkId: null } });
}

export async function deleteRouter(db: Db, input: { id: string }, caller: Caller = ADMIN_CALLER) {
  const router = await findRouter(db, input.id, ['id']);
  await lockRouter(db, router.id);
  const interfaces = await db.port.findMany({
    where: { routerId: router.id, deviceOwner: DEVICE_OWNER.routerInterface },
    select: { id: true, projectId: true, deviceOwner: true },
    orderBy: { id: 'asc' },
  });
  if (interfaces.length > 0) fail('IN_USE', ['id'], `Router ${router.id} still has ports: ${describeHolders(caller, 'port', interfaces.map(portHolder))}.`);
  const fips = await floatingIpsThrough(db, router.id);
  if (fips.length > 0) fail('IN_USE', ['id'], `Router ${router.id} cannot be deleted, as it is required by ${floatingIpsNamed(caller, fips)}.`);
  const gateway = await db.port.findFirst({ where: { routerId: router.id, deviceOwner: DEVICE_OWNER.routerGateway } });
  if (gateway) await removePort(db, gateway);
  await db.router.delete({ where: { id: router.id } });
  return router.id;
}

/** neutron.conf max_routes (its default). */
export const MAX_ROUTES = 30;

export interface UpdateRouterInput {
  id: string;
  name?: string | null;
  /** Replaces the router's extra routes ([] removes them). */
  routes?: { destination: string; nexthop: string }[] | null;
  /** SNAT on the gateway; only for a router with one. */
  enableSnat?: boolean | null;
}

/**
 * Neutron's PUT /v2.0/routers/{id}: a field left out stays. Extra routes are
 * checked as extraroute_db _validate_routes does: each next hop lies on a
 * subnet of one of the router's ports and is none of the router's own
 * addresses. The L3 agent rewrites the namespace's routes and NAT rules.
 */
export async function updateRouter(db: Db, input: UpdateRouterInput) {
  const found = await findRouter(db, input.id, ['id']);
  await lockRouter(db, found.id);
  const router = await db.router.findUniqueOrThrow({ where: { id: found.id } });
  if (input.name !== null && input.name !== undefined) checkName(input.name, ['name'], false);
  if (input.enableSnat !== null && input.enableSnat !== undefined && !router.gatewayNetworkId) {
    fail('INVALID', ['enableSnat'], `router ${router.id} has no external gateway for SNAT`);
  }
  if (input.routes) {
    const routes = await checkRoutes(db, router.id, input.routes);
    await db.routerRoute.deleteMany({ where: { routerId: router.id } });
    await db.routerRoute.createMany({ data: routes.map((r) => ({ routerId: router.id, ...r })) });
  }
  return db.router.update({ where: { id: router.id }, data: { name: input.name ?? router.name, enableSnat: input.enableSnat ?? router.enableSnat } });
}

async function checkRoutes(db: Db, routerId: string, routes: { destination: string; nexthop: string }[]) {
  if (routes.length > MAX_ROUTES) fail('INVALID', ['routes'], `Unable to complete operation for ${routerId}. The number of routes exceeds the maximum ${MAX_ROUTES}.`);
  const held = await db.ipAllocation.findMany({ where: { port: { routerId } }, include: { subnet: { select: { cidr: true } } } });
  const seen = new Set<string>();
  return routes.map((route, i) => {
    const at = (...f: string[]) => ['routes', String(i), ...f];
    const parsed = parseCidr(route.destination);
    if ('error' in parsed) fail('INVALID', at('destination'), parsed.error);
    if (!isIpAddress(route.nexthop)) fail('INVALID', at('nexthop'), `'${route.nexthop}' is not an IP address`);
    const nexthop = normalizeIp(route.nexthop);
    const invalid = (why: string) => fail('INVALID', at('nexthop'), `Invalid format for routes: ${parsed.cidr.text} via ${nexthop}, ${why}`);
    if (held.some((a) => a.ipAddress === nexthop)) invalid('the nexthop is used by router');
    if (!held.some((a) => cidrContains(a.subnet.cidr, nexthop))) invalid('the nexthop is not connected with router');
    const key = `${parsed.cidr.text} via ${nexthop}`;
    if (seen.has(key)) fail('INVALID', at(), `Duplicate hostroute '${key}'`);
    seen.add(key);
    return { destination: parsed.cidr.text, nexthop };
  });
}
