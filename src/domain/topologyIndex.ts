// Lookups over a Topology snapshot, built once per question.
import type {
  FloatingIp, Host, Instance, LocalVlan, Network, Port, Router, SecurityGroup, Subnet, Topology,
} from './model.js';

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));

export class TopologyIndex {
  readonly hosts: Map<string, Host>;
  readonly networks: Map<string, Network>;
  readonly subnets: Map<string, Subnet>;
  readonly ports: Map<string, Port>;
  readonly instances: Map<string, Instance>;
  readonly routers: Map<string, Router>;
  readonly floatingIps: Map<string, FloatingIp>;
  readonly securityGroups: Map<string, SecurityGroup>;
  private readonly vlans: Map<string, number>;

  constructor(readonly topology: Topology) {
    this.hosts = byId(topology.hosts);
    this.networks = byId(topology.networks);
    this.subnets = byId(topology.subnets);
    this.ports = byId(topology.ports);
    this.instances = byId(topology.instances);
    this.routers = byId(topology.routers);
    this.floatingIps = byId(topology.floatingIps);
    this.securityGroups = byId(topology.securityGroups);
    this.vlans = new Map(topology.localVlans.map((v: LocalVlan) => [`${v.hostId}/${v.networkId}`, v.vlan]));
  }

  /** The local VLAN of a network on a host, or null when it has none there. */
  localVlan(hostId: string, networkId: string): number | null {
    return this.vlans.get(`${hostId}/${networkId}`) ?? null;
  }

  portsOnHost(hostId: string): Port[] {
    return this.topology.ports.filter((p) => p.hostId === hostId);
  }

  portsOfNetwork(networkId: string): Port[] {
    return this.topology.ports.filter((p) => p.networkId === networkId);
  }

  subnetsOfNetwork(networkId: string): Subnet[] {
    return this.topology.subnets.filter((s) => s.networkId === networkId);
  }

  portsOfRouter(routerId: string): Port[] {
    return this.topology.ports.filter((p) => p.routerId === routerId);
  }
}
