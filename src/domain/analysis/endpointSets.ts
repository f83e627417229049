// Sets of endpoints an analysis asks about (instances, a network, a subnet,
// a project, a CIDR, the internet) and the members each stands for among
// the VM ports the store found for them.
import { cidrContains, isIpAddress, parseCidr, parsePrefix } from '../addressing.js';
import { EndpointError, type EndpointRef } from '../path/index.js';

export type EndpointSet =
  | { kind: 'INSTANCES'; instances: string[] }
  | { kind: 'NETWORK'; networkId: string }
  | { kind: 'SUBNET'; subnetId: string }
  | { kind: 'PROJECT'; projectId: string }
  | { kind: 'CIDR'; cidr: string }
  | { kind: 'INTERNET' };

/** A VM port (device owner compute:*) that some set may hold, with its instance. */
export interface CandidatePort {
  portId: string;
  projectId: string;
  networkId: string;
  instanceId: string | null;
  instanceName: string | null;
  fixedIps: { subnetId: string; ipAddress: string }[];
}

/** One endpoint of a set: what path tracing is given, and how the report names it. */
export interface SetMember {
  ref: EndpointRef;
  label: string;
  /** The instance behind it (null for the internet and for ports of no instance): a pair of one instance with itself is left out. */
  instanceId: string | null;
  portId: string | null;
}

/**
 * Documentation addresses (RFC 5737) stand for the internet, the first that
 * no modelled subnet holds: an address outside every network of the cloud.
 */
export const INTERNET_CANDIDATES = ['203.0.113.1', '198.51.100.1', '192.0.2.1'] as const;

/** The internet's address, given the candidates some modelled subnet holds. */
export function internetAddress(held: Iterable<string>): string {
  const taken = new Set(held);
  const free = INTERNET_CANDIDATES.find((a) => !taken.has(a));
  if (!free) throw new EndpointError(`every documentation address (${INTERNET_CANDIDATES.join(', ')}) is inside a modelled subnet, so no address stands for the internet`);
  return free;
}

/** Refuses a malformed set before anything is read. */
export function checkSet(set: EndpointSet, name: string): void {
  if (set.kind === 'CIDR' && 'error' in parseCidr(set.cidr)) throw new EndpointError(`${name}.cidr: ${(parseCidr(set.cidr) as { error: string }).error}`);
  if (set.kind === 'INSTANCES' && set.instances.length === 0) throw new EndpointError(`${name}.instances names no instance`);
}

const instanceMember = (id: string, name: string | null): SetMember => ({ ref: { instanceId: id }, label: name || id, instanceId: id, portId: null });

function portMember(p: CandidatePort, ip: string | null): SetMember {
  const address = ip ?? p.fixedIps[0]?.ipAddress;
  const who = p.instanceName || p.portId;
  return { ref: { portId: p.portId }, label: address ? `${who} (${address})` : who, instanceId: p.instanceId, portId: p.portId };
}

/**
 * The members of a set. `viewer` (null for an admin): a project's sets hold
 * only its own ports, as a project names only its own instances in `path`.
 * Instances and projects stand as instances (path picks their port); a
 * network, subnet or CIDR as each of its VM ports.
 */
export function membersOf(set: EndpointSet, candidates: CandidatePort[], internet: string, viewer: string | null): SetMember[] {
  const visible = candidates.filter((p) => viewer === null || p.projectId === viewer);
  const byPort = (ports: CandidatePort[], ip: (p: CandidatePort) => string | null = () => null) =>
    [...ports].sort((a, b) => (a.portId < b.portId ? -1 : 1)).map((p) => portMember(p, ip(p)));
  switch (set.kind) {
    case 'INTERNET':
      return [{ ref: { ipAddress: internet }, label: `INTERNET (${internet})`, instanceId: null, portId: null }];
    case 'INSTANCES':
      return [...new Set(set.instances)].map((ref) => namedInstance(visible, ref));
    case 'PROJECT': {
      if (viewer !== null && set.projectId !== viewer) throw new EndpointError(`a token of project ${viewer} asks only about its own instances, not project ${set.projectId}'s`);
      const own = visible.filter((p) => p.projectId === set.projectId);
      const instances = new Map(own.filter((p) => p.instanceId).map((p) => [p.instanceId!, p.instanceName]));
      const byName = [...instances].sort(([a, na], [b, nb]) => (na ?? '').localeCompare(nb ?? '') || (a < b ? -1 : 1));
      return [...byName.map(([id, name]) => instanceMember(id, name)), ...byPort(own.filter((p) => !p.instanceId))];
    }
    case 'NETWORK':
      return byPort(visible.filter((p) => p.networkId === set.networkId));
    case 'SUBNET': {
      const on = (p: CandidatePort) => p.fixedIps.find((f) => f.subnetId === set.subnetId)?.ipAddress ?? null;
      return byPort(visible.filter((p) => on(p) !== null), on);
    }
    case 'CIDR': {
      const block = parsePrefix(set.cidr)!;
      const inside = (p: CandidatePort) => p.fixedIps.find((f) => isIpAddress(f.ipAddress) && cidrContains(block, f.ipAddress))?.ipAddress ?? null;
      return byPort(visible.filter((p) => inside(p) !== null), inside);
    }
  }
}

/** An instance by id, else by name (unique among the visible ones), with path's wording. */
function namedInstance(candidates: CandidatePort[], ref: string): SetMember {
  const byId = candidates.find((p) => p.instanceId === ref);
  if (byId) return instanceMember(byId.instanceId!, byId.instanceName);
  const ids = [...new Set(candidates.filter((p) => p.instanceName === ref).map((p) => p.instanceId!))];
  if (ids.length > 1) throw new EndpointError(`several instances are named ${ref}; use the instance id`);
  if (ids.length === 0) throw new EndpointError(`instance ${ref} does not exist or has no port`);
  return instanceMember(ids[0], ref);
}

/** Whether two members are one endpoint (a pair of it with itself is not asked). */
export const sameEndpoint = (a: SetMember, b: SetMember) =>
  (a.instanceId !== null && a.instanceId === b.instanceId) || (a.portId !== null && a.portId === b.portId);
