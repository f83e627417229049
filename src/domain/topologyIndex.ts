// Lookups over a Topology snapshot, built once per question. A snapshot never
// changes, so every grouping is built on first use and kept: an analysis asks
// the same snapshot tens of thousands of questions.
import type {
  FloatingIp, Host, Instance, LocalVlan, Network, Port, Router, SecurityGroup, Subnet, Topology,
} from './model.js';

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));

/** Items grouped by a key, each group in the snapshot's order. */
function groupBy<T>(items: T[], keysOf: (item: T) => Iterable<string | null>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      if (key === null) continue;
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

const NONE: readonly never[] = [];

export class TopologyIndex {
  readonly hosts: Map<string, Host>;
  readonly networks: Map<string, Network>;
  readonly subnets: Map<string, Subnet>;
  readonly ports: Map<string, Port>;
  readonly instances: Map<string, Instance>;
  readonly routers: Map<string, Router>;
  readonly floatingIps: Map<string, FloatingIp>;
  readonly securityGroups: Map<string, SecurityGroup>;
  /** Local VLANs by host, then network. */
  private readonly vlans = new Map<string, Map<string, number>>();
  private readonly derived = new Map<string, unknown>();

  constructor(readonly topology: Topology) {
    this.hosts = byId(topology.hosts);
    this.networks = byId(topology.networks);
    this.subnets = byId(topology.subnets);
    this.ports = byId(topology.ports);
    this.instances = byId(topology.instances);
    this.routers = byId(topology.routers);
    this.floatingIps = byId(topology.floatingIps);
    this.securityGroups = byId(topology.securityGroups);
    for (const v of topology.localVlans as LocalVlan[]) {
      const onHost = this.vlans.get(v.hostId) ?? new Map<string, number>();
      onHost.set(v.networkId, v.vlan);
      this.vlans.set(v.hostId, onHost);
    }
  }

  /** A value derived from the snapshot, computed on first use (callers must not mutate it). */
  memo<T>(key: string, compute: () => T): T {
    if (this.derived.has(key)) return this.derived.get(key) as T;
    const value = compute();
    this.derived.set(key, value);
    return value;
  }

  /** The local VLAN of a network on a host, or null when it has none there. */
  localVlan(hostId: string, networkId: string): number | null {
    return this.vlans.get(hostId)?.get(networkId) ?? null;
  }

  portsOnHost(hostId: string): readonly Port[] {
    return this.memo('ports by host', () => groupBy(this.topology.ports, (p) => [p.hostId])).get(hostId) ?? NONE;
  }

  portsOfNetwork(networkId: string): readonly Port[] {
    return this.memo('ports by network', () => groupBy(this.topology.ports, (p) => [p.networkId])).get(networkId) ?? NONE;
  }

  portsOfRouter(routerId: string): readonly Port[] {
    return this.memo('ports by router', () => groupBy(this.topology.ports, (p) => [p.routerId])).get(routerId) ?? NONE;
  }

  portsOfInstance(instanceId: string): readonly Port[] {
    return this.memo('ports by instance', () => groupBy(this.topology.ports, (p) => [p.instanceId])).get(instanceId) ?? NONE;
  }

  /** Ports holding the address as a fixed IP (as stored: callers normalize it). */
  portsWithAddress(ip: string): readonly Port[] {
    return this.memo('ports by address', () => groupBy(this.topology.ports, (p) => p.fixedIps.map((f) => f.ipAddress))).get(ip) ?? NONE;
  }

  /** Ports with a fixed IP on the subnet. */
  portsOnSubnet(subnetId: string): readonly Port[] {
    return this.memo('ports by subnet', () => groupBy(this.topology.ports, (p) => p.fixedIps.map((f) => f.subnetId))).get(subnetId) ?? NONE;
  }

  instancesNamed(name: string): readonly Instance[] {
    return this.memo('instances by name', () => groupBy(this.topology.instances, (i) => [i.name])).get(name) ?? NONE;
  }

  subnetsOfNetwork(networkId: string): readonly Subnet[] {
    return this.memo('subnets by network', () => groupBy(this.topology.subnets, (s) => [s.networkId])).get(networkId) ?? NONE;
  }
}
