// The routes a VM learns from DHCP on an IPv4 subnet (docs/neutron-model.md,
// "Paths: the VM's routes"): dnsmasq hands it the other IPv4 subnets of its
// network as on-link routes, the subnet's host routes, the metadata route
// (metadata.ts decides it), and the default route via the gateway, or, on a
// subnet without one, via a 0.0.0.0/0 host route.
import { cidrContains, parsePrefix, type Cidr } from '../addressing.js';
import { METADATA_IP, metadataRoute } from '../metadata.js';
import type { Subnet } from '../model.js';
import type { TopologyIndex } from '../topologyIndex.js';

export interface DhcpRoute {
  destination: Cidr;
  /** null: on-link (another subnet of the VM's network). */
  nexthop: string | null;
}

export interface DhcpRoutes {
  routes: DhcpRoute[];
  /** The default route's next hop; null for none. */
  gateway: string | null;
}

const IPV4_ANY = '0.0.0.0/0';

/** What a VM of `subnet` learns; null when DHCP teaches it nothing (DHCP off, or IPv6). */
export function dhcpRoutes(index: TopologyIndex, subnet: Subnet): DhcpRoutes | null {
  if (subnet.ipVersion !== 4 || !subnet.enableDhcp) return null;
  return index.memo(`dhcp routes ${subnet.id}`, () => {
    let gateway = subnet.gatewayIp;
    const routes: DhcpRoute[] = [];
    // dnsmasq's option lists the on-link subnets first.
    for (const other of index.subnetsOfNetwork(subnet.networkId)) {
      const destination = parsePrefix(other.cidr);
      if (other.id !== subnet.id && other.ipVersion === 4 && destination) routes.push({ destination, nexthop: null });
    }
    for (const route of subnet.hostRoutes) {
      const destination = parsePrefix(route.destination);
      if (!destination) continue;
      // A default host route counts only where the subnet has no gateway of its own.
      if (destination.text === IPV4_ANY) gateway ??= route.nexthop;
      else routes.push({ destination, nexthop: route.nexthop });
    }
    const metadata = metadataRoute(index, subnet);
    if (metadata) routes.push({ destination: parsePrefix(METADATA_IP)!, nexthop: metadata.nexthop });
    return { routes, gateway };
  });
}

/** The most specific of `routes` that holds `ip`; the first on equal prefixes. */
export function routeFor(routes: readonly DhcpRoute[], ip: string): DhcpRoute | null {
  let best: DhcpRoute | null = null;
  for (const route of routes) {
    if (cidrContains(route.destination, ip) && (!best || route.destination.prefix > best.destination.prefix)) best = route;
  }
  return best;
}
