// Where the document's routers and DHCP ports run: on the host whose agent
// lists them (l3_agent_routers, dhcp_agent_networks), else where their
// ports are bound, else where the database had them, else where the
// schedulers put them (the NETWORK host that is up with the fewest routers,
// resp. DHCP ports; ties by name). A router's qr-/qg- ports are bound on its
// host, as the L3 agent plugs them there. Pure: works on the merged rows,
// never changing a row in place (rows may be the database's).
import type { Hosting } from '../../domain/import/agents.js';
import { groupBy } from '../../domain/import/group.js';
import { isRouterPort } from '../../domain/import/link.js';
import type { Cloud, HostRow, PortRow } from '../../domain/import/model.js';
import type { Origins } from '../../domain/import/read.js';
import { DEVICE_OWNER } from '../../domain/model.js';
import { dhcpDeviceId } from '../dhcp.js';

const byName = (a: HostRow, b: HostRow) => a.name.localeCompare(b.name);

/** Counts what each host runs and picks the least loaded NETWORK host that is up. */
class Scheduler {
  private readonly load = new Map<string, number>();

  constructor(private readonly hosts: HostRow[]) {}

  add(hostId: string | null): void {
    if (hostId) this.load.set(hostId, (this.load.get(hostId) ?? 0) + 1);
  }

  pick(): string | null {
    const candidates = this.hosts.filter((h) => h.up).sort((a, b) => (this.load.get(a.id) ?? 0) - (this.load.get(b.id) ?? 0) || byName(a, b));
    return candidates[0]?.id ?? null;
  }
}

export class Placement {
  private readonly networkHosts: HostRow[];
  private readonly hostIdByName: Map<string, string>;

  constructor(
    private readonly cloud: Cloud,
    private readonly existing: Cloud,
    private readonly hosting: Hosting,
    private readonly origins: Origins,
    private readonly warnings: string[],
  ) {
    this.networkHosts = [...cloud.hosts.values()].filter((h) => h.roles.includes('NETWORK')).sort(byName);
    this.hostIdByName = new Map([...cloud.hosts.values()].map((h) => [h.name, h.id]));
  }

  /** The host id when it names a NETWORK host, else undefined. */
  private networkHost(hostId: string | null | undefined): string | undefined {
    return hostId && this.cloud.hosts.get(hostId)?.roles.includes('NETWORK') ? hostId : undefined;
  }

  private setPortHost(port: PortRow, hostId: string | null): void {
    if (port.hostId !== hostId) this.cloud.ports.set(port.id, { ...port, hostId });
  }

  run(): void {
    this.placeRouters();
    this.placeDhcpPorts();
  }

  private placeRouters(): void {
    const portsOf = groupBy([...this.cloud.ports.values()].filter((p) => isRouterPort(p.deviceOwner) && p.routerId), (p) => p.routerId!);
    const named = [...this.origins.routers.keys()].filter((id) => this.cloud.routers.has(id)).sort();
    const scheduler = new Scheduler(this.networkHosts);
    for (const router of this.cloud.routers.values()) if (!this.origins.routers.has(router.id)) scheduler.add(router.hostId);

    for (const id of named) {
      const router = this.cloud.routers.get(id)!;
      const ports = (portsOf.get(id) ?? []).sort((a, b) => Number(b.deviceOwner === DEVICE_OWNER.routerGateway) - Number(a.deviceOwner === DEVICE_OWNER.routerGateway) || a.id.localeCompare(b.id));
      const listed = this.listedHosts(this.hosting.routers.get(id));
      if (listed.length > 1) this.warnings.push(`router ${id} is listed by ${listed.length} L3 agents; the model runs it on one, ${this.cloud.hosts.get(listed[0])!.name}`);
      const hostId =
        listed[0] ??
        ports.map((p) => this.networkHost(p.hostId)).find(Boolean) ??
        this.networkHost(this.existing.routers.get(id)?.hostId) ??
        (ports.length > 0 ? scheduler.pick() : null);
      scheduler.add(hostId);
      if (router.hostId !== hostId) this.cloud.routers.set(id, { ...router, hostId });
    }
    for (const [routerId, ports] of portsOf) {
      const router = this.cloud.routers.get(routerId);
      if (!router) continue;
      for (const port of ports) {
        if (this.origins.routers.has(routerId) || this.origins.ports.has(port.id)) this.setPortHost(port, router.hostId);
      }
    }
  }

  /** The ids of the hosts whose agents list an object, in name order. */
  private listedHosts(hosted: { hostName: string }[] | undefined): string[] {
    const names = [...new Set((hosted ?? []).map((h) => h.hostName))].sort();
    return names.map((name) => this.hostIdByName.get(name)).filter((id): id is string => id !== undefined);
  }

  private placeDhcpPorts(): void {
    const isDhcp = (p: PortRow) => p.deviceOwner === DEVICE_OWNER.dhcp;
    const named = [...this.origins.ports.keys()].map((id) => this.cloud.ports.get(id)).filter((p): p is PortRow => Boolean(p && isDhcp(p)));
    const scheduler = new Scheduler(this.networkHosts);
    for (const port of this.cloud.ports.values()) if (isDhcp(port) && !this.origins.ports.has(port.id)) scheduler.add(port.hostId);
    const taken = new Map<string, Set<string>>();

    for (const port of named.sort((a, b) => a.id.localeCompare(b.id))) {
      const used = taken.get(port.networkId) ?? new Set<string>();
      taken.set(port.networkId, used);
      const listed = this.listedHosts(this.hosting.networks.get(port.networkId));
      const hostId =
        listed.find((h) => this.isDeviceOf(port, h)) ??
        listed.find((h) => !used.has(h)) ??
        this.networkHost(port.hostId) ??
        this.networkHost(this.existing.ports.get(port.id)?.hostId) ??
        scheduler.pick();
      if (hostId) used.add(hostId);
      scheduler.add(hostId);
      this.setPortHost(port, hostId);
    }
  }

  /** Whether the port's device_id is the DHCP agent of that host's (dhcp<uuid5(host)>-<network>; Neutron uses the short host name). */
  private isDeviceOf(port: PortRow, hostId: string): boolean {
    const name = this.cloud.hosts.get(hostId)!.name;
    return port.deviceId === dhcpDeviceId(port.networkId, name) || port.deviceId === dhcpDeviceId(port.networkId, name.split('.')[0]);
  }
}
