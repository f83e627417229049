// Turns the two endpoint references of a path question into a VM port and
// address, a floating IP, or an address outside the cloud.
import { ipVersion, isIpAddress, normalizeIp } from '../addressing.js';
import { DEVICE_OWNER, isVmPort, type FloatingIp, type Instance, type Port, type Subnet } from '../model.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { activeFloatingIp, floatingIpByAddress, gatewayInterfaces, routersOnSubnet } from './routing.js';
import { EndpointError, type EndpointRef } from './types.js';

export interface PortEndpoint {
  kind: 'PORT';
  port: Port;
  /** The fixed IP the packet uses. */
  ip: string;
  /** The subnet of `ip`; null when it is not in the snapshot. */
  subnet: Subnet | null;
  instance: Instance | null;
  /** The instance name, else the port id: the VNIC hop's device. */
  name: string;
}

/** A destination given as a floating IP address: the packet goes to the router that owns it. */
export interface FloatingIpEndpoint {
  kind: 'FLOATING_IP';
  floatingIp: FloatingIp;
  name: string;
}

export interface OutsideEndpoint {
  kind: 'OUTSIDE';
  address: string;
  name: string;
}

export type Endpoint = PortEndpoint | FloatingIpEndpoint | OutsideEndpoint;

export interface Endpoints {
  source: PortEndpoint | OutsideEndpoint;
  target: Endpoint;
}

interface PortCandidates {
  kind: 'PORTS';
  ports: Port[];
  /** The address asked for, when the reference was an address. */
  ip: string | null;
  /** How the reference reads in errors. */
  ref: string;
}

/** What one reference can stand for before the other endpoint is known. */
type Candidates =
  | PortCandidates
  | { kind: 'FLOATING_IP'; floatingIp: FloatingIp }
  | { kind: 'OUTSIDE'; address: string };

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * `viewer`: the project asking, or null for an admin. A project names only
 * its own instances and ports (another project's read like missing ones),
 * and its path starts at one of them; as destination any address will do.
 */
export function resolveEndpoints(index: TopologyIndex, from: EndpointRef, to: EndpointRef, viewer: string | null = null): Endpoints {
  // An analysis asks one pair under several flows: resolved once per snapshot, refusals too.
  const resolved = index.memo(`endpoints ${JSON.stringify([from, to, viewer])}`, () => {
    try {
      return resolve(index, from, to, viewer);
    } catch (error) {
      if (error instanceof EndpointError) return error;
      throw error;
    }
  });
  if (resolved instanceof EndpointError) throw resolved;
  return resolved;
}

function resolve(index: TopologyIndex, from: EndpointRef, to: EndpointRef, viewer: string | null): Endpoints {
  const sent = candidates(index, from, viewer);
  const sender = sent.kind === 'FLOATING_IP' ? senderOfFloatingIp(index, sent.floatingIp) : sent;
  const source = viewer === null ? sender : ownSender(sender, viewer, from);
  const target = candidates(index, to, viewer);
  if (source.kind === 'OUTSIDE' && target.kind === 'OUTSIDE') {
    throw new EndpointError(`neither ${source.address} nor ${target.address} is in the cloud`);
  }
  if (source.kind === 'OUTSIDE') return { source: outside(source.address), target: single(index, target, source) };
  if (target.kind !== 'PORTS') return { source: single(index, source, target) as PortEndpoint, target: nonPort(target) };
  const [a, b] = pickPair(index, source, target);
  if (a.id === b.id) throw new EndpointError(`source and destination are the same port ${a.id}`);
  const [ipA, ipB] = pickAddresses(a, source.ip, b, target.ip);
  return { source: portEndpoint(index, a, ipA), target: portEndpoint(index, b, ipB) };
}

function candidates(index: TopologyIndex, ref: EndpointRef, viewer: string | null): Candidates {
  const visible = (o: { projectId: string }) => viewer === null || o.projectId === viewer;
  if ('instanceId' in ref) {
    const instance = findInstance(index, ref.instanceId, visible);
    const ports = [...index.portsOfInstance(instance.id)].sort(byId);
    if (ports.length === 0) throw new EndpointError(`instance ${instance.name || instance.id} has no port`);
    return { kind: 'PORTS', ports, ip: null, ref: `instance ${instance.name || instance.id}` };
  }
  if ('portId' in ref) {
    const port = index.ports.get(ref.portId);
    if (!port || !visible(port)) throw new EndpointError(`port ${ref.portId} does not exist`);
    if (!isVmPort(port)) throw new EndpointError(`port ${port.id} is a ${port.deviceOwner || 'unowned'} port; a path starts and ends at a VM port`);
    return { kind: 'PORTS', ports: [port], ip: null, ref: `port ${port.id}` };
  }
  if (!isIpAddress(ref.ipAddress)) throw new EndpointError(`${ref.ipAddress} is not an IP address`);
  const ip = normalizeIp(ref.ipAddress);
  // A floating IP's own network:floatingip port holds its address too; the address means the floating IP.
  const holders = index
    .portsWithAddress(ip)
    .filter((p) => p.deviceOwner !== DEVICE_OWNER.floatingIp)
    .sort(byId);
  const vmPorts = holders.filter(isVmPort);
  if (vmPorts.length > 0) return { kind: 'PORTS', ports: vmPorts, ip, ref: ip };
  // Another project's router or DHCP address is, to a project, an address like any other.
  const own = holders.filter(visible);
  if (own.length > 0) {
    throw new EndpointError(`${ip} belongs to ${own[0].deviceOwner || 'unowned'} port ${own[0].id}; a path starts and ends at a VM port`);
  }
  const floatingIp = floatingIpByAddress(index, ip);
  if (floatingIp) return { kind: 'FLOATING_IP', floatingIp };
  return { kind: 'OUTSIDE', address: ip };
}

/** By id, else by name (unique among the visible ones). */
function findInstance(index: TopologyIndex, idOrName: string, visible: (i: Instance) => boolean): Instance {
  const byIdMatch = index.instances.get(idOrName);
  if (byIdMatch && visible(byIdMatch)) return byIdMatch;
  const named = index.instancesNamed(idOrName).filter(visible);
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new EndpointError(`several instances are named ${idOrName}; use the instance id`);
  throw new EndpointError(`instance ${idOrName} does not exist`);
}

/** A floating IP as a source is the VM behind it. */
function senderOfFloatingIp(index: TopologyIndex, fip: FloatingIp): PortCandidates {
  const active = activeFloatingIp(index, fip);
  if (!active || !isVmPort(active.port)) {
    throw new EndpointError(`floating IP ${fip.floatingIpAddress} is not associated with a VM port, so nothing sends from it`);
  }
  return { kind: 'PORTS', ports: [active.port], ip: active.fixedIp, ref: fip.floatingIpAddress };
}

/** The viewer's own ports among the sender's: an address outside, or only another project's, is refused alike. */
function ownSender(sender: PortCandidates | { kind: 'OUTSIDE'; address: string }, viewer: string, ref: EndpointRef): PortCandidates {
  const ports = sender.kind === 'PORTS' ? sender.ports.filter((p) => p.projectId === viewer) : [];
  if (ports.length > 0) return { ...(sender as PortCandidates), ports };
  const asked = 'ipAddress' in ref ? ref.ipAddress : 'instanceId' in ref ? `instance ${ref.instanceId}` : `port ${ref.portId}`;
  throw new EndpointError(`a path of project ${viewer} starts at one of its own instances; ${asked} is none of them`);
}

const outside = (address: string): OutsideEndpoint => ({ kind: 'OUTSIDE', address, name: address });

function nonPort(c: Exclude<Candidates, { kind: 'PORTS' }>): FloatingIpEndpoint | OutsideEndpoint {
  if (c.kind === 'OUTSIDE') return outside(c.address);
  return { kind: 'FLOATING_IP', floatingIp: c.floatingIp, name: `floating IP ${c.floatingIp.floatingIpAddress}` };
}

const subnetIdsOf = (port: Port, ip: string | null) =>
  port.fixedIps.filter((f) => ip === null || f.ipAddress === ip).map((f) => f.subnetId);

/**
 * How directly a port can reach the other endpoint: 0 on the same network,
 * 1 through one router (to the other's subnet, or out of its gateway for
 * addresses outside), 2 otherwise.
 */
function rank(index: TopologyIndex, port: Port, ip: string | null, other: Candidates, otherPort?: Port): number {
  const routers = new Set(subnetIdsOf(port, ip).flatMap((s) => routersOnSubnet(index, s)).map((r) => r.id));
  if (other.kind !== 'PORTS' || !otherPort) {
    return [...routers].some((id) => gatewayInterfaces(index, index.routers.get(id)!).length > 0) ? 1 : 2;
  }
  if (port.networkId === otherPort.networkId) return 0;
  const shared = subnetIdsOf(otherPort, other.ip).some((s) => routersOnSubnet(index, s).some((r) => routers.has(r.id)));
  return shared ? 1 : 2;
}

/** A port reference against an endpoint that is not a port. */
function single(index: TopologyIndex, c: Candidates, other: Candidates): Endpoint {
  if (c.kind !== 'PORTS') return nonPort(c);
  const ranked = c.ports.map((port) => ({ port, rank: rank(index, port, c.ip, other) }));
  const best = Math.min(...ranked.map((r) => r.rank));
  const port = unambiguous(c, ranked.filter((r) => r.rank === best).map((r) => r.port));
  const address = other.kind === 'OUTSIDE' ? other.address : other.kind === 'FLOATING_IP' ? other.floatingIp.floatingIpAddress : null;
  const ip = c.ip ?? addressOfVersion(port, address ? ipVersion(address) : 4);
  return portEndpoint(index, port, ip);
}

function pickPair(index: TopologyIndex, a: PortCandidates, b: PortCandidates): [Port, Port] {
  let best = Infinity;
  let pairs: [Port, Port][] = [];
  for (const pa of a.ports) {
    for (const pb of b.ports) {
      if (pa.id === pb.id && (a.ports.length > 1 || b.ports.length > 1)) continue;
      const r = rank(index, pa, a.ip, b, pb);
      if (r < best) [best, pairs] = [r, []];
      if (r === best) pairs.push([pa, pb]);
    }
  }
  if (pairs.length === 0) throw new EndpointError(`${a.ref} and ${b.ref} are the same port`);
  unambiguous(a, [...new Map(pairs.map(([pa]) => [pa.id, pa])).values()]);
  unambiguous(b, [...new Map(pairs.map(([, pb]) => [pb.id, pb])).values()]);
  return pairs[0];
}

/** Several ports of one instance: the first by id. Several ports with the asked address: the caller must say which. */
function unambiguous(c: PortCandidates, best: Port[]): Port {
  if (c.ip !== null && best.length > 1) {
    throw new EndpointError(`${c.ip} is a fixed IP of several ports (${best.map((p) => p.id).join(', ')}); name the instance or the port`);
  }
  return best[0];
}

function addressOfVersion(port: Port, version: 4 | 6): string {
  const fixed = port.fixedIps.find((f) => isIpAddress(f.ipAddress) && ipVersion(f.ipAddress) === version);
  if (!fixed) throw new EndpointError(`port ${port.id} has no IPv${version} address`);
  return fixed.ipAddress;
}

/** Addresses on a shared subnet first, else the first pair of one IP version, IPv4 first. */
function pickAddresses(a: Port, ipA: string | null, b: Port, ipB: string | null): [string, string] {
  if (ipA !== null && ipB !== null) return [ipA, ipB];
  if (ipA !== null) return [ipA, addressOfVersion(b, ipVersion(ipA))];
  if (ipB !== null) return [addressOfVersion(a, ipVersion(ipB)), ipB];
  for (const fa of a.fixedIps) {
    const fb = b.fixedIps.find((f) => f.subnetId === fa.subnetId);
    if (fb) return [fa.ipAddress, fb.ipAddress];
  }
  for (const version of [4, 6] as const) {
    const fa = a.fixedIps.find((f) => isIpAddress(f.ipAddress) && ipVersion(f.ipAddress) === version);
    const fb = b.fixedIps.find((f) => isIpAddress(f.ipAddress) && ipVersion(f.ipAddress) === version);
    if (fa && fb) return [fa.ipAddress, fb.ipAddress];
  }
  throw new EndpointError(`ports ${a.id} and ${b.id} have no fixed IPs of the same IP version`);
}

export function portEndpoint(index: TopologyIndex, port: Port, ip: string): PortEndpoint {
  const fixed = port.fixedIps.find((f) => f.ipAddress === ip);
  const instance = port.instanceId ? index.instances.get(port.instanceId) ?? null : null;
  return {
    kind: 'PORT',
    port,
    ip,
    subnet: fixed ? index.subnets.get(fixed.subnetId) ?? null : null,
    instance,
    name: instance?.name || port.id,
  };
}
