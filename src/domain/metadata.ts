// The metadata service as a VM reaches it (docs/neutron-model.md, "Paths:
// metadata"): the L3 agent redirects 169.254.169.254:80 arriving on a qr-
// port to the metadata proxy in its qrouter namespace; on a subnet no router
// serves, a DHCP agent with enable_isolated_metadata answers on the address
// itself in qdhcp, and DHCP tells the VM to route the address there.
import { DEVICE_OWNER, type Host, type Port, type Subnet } from './model.js';
import type { TopologyIndex } from './topologyIndex.js';

export const METADATA_IP = '169.254.169.254';
/** The port VMs ask the metadata service on. */
export const METADATA_SERVICE_PORT = 80;
/** Where the L3 agent's metadata proxy listens in qrouter (the agent's metadata_port default). */
export const METADATA_PROXY_PORT = 9697;

/** The host route DHCP gives a VM of the subnet for 169.254.169.254/32. */
export type MetadataRoute =
  | { via: 'ROUTER'; nexthop: string }
  | { via: 'DHCP'; nexthop: string; port: Port; host: Host };

/**
 * dhcp.py's rule for an IPv4 DHCP subnet: an isolated subnet (no router
 * interface holds its gateway IP) routes the address to the DHCP port when
 * that agent enables isolated metadata; a routed subnet routes it to its
 * gateway. Otherwise the VM has no such route and uses its default route.
 */
export function metadataRoute(index: TopologyIndex, subnet: Subnet): MetadataRoute | null {
  if (subnet.ipVersion !== 4 || !subnet.enableDhcp) return null;
  if (!isIsolated(index, subnet)) return subnet.gatewayIp ? { via: 'ROUTER', nexthop: subnet.gatewayIp } : null;
  for (const port of index.portsOfNetwork(subnet.networkId)) {
    if (port.deviceOwner !== DEVICE_OWNER.dhcp || !port.hostId) continue;
    const fixed = port.fixedIps.find((f) => f.subnetId === subnet.id);
    const host = index.hosts.get(port.hostId);
    if (fixed && host?.enableIsolatedMetadata) return { via: 'DHCP', nexthop: fixed.ipAddress, port, host };
  }
  return null;
}

/** dhcp.py get_isolated_subnets: no router interface holds the subnet's gateway IP. */
function isIsolated(index: TopologyIndex, subnet: Subnet): boolean {
  if (!subnet.gatewayIp) return true;
  return !index
    .portsOfNetwork(subnet.networkId)
    .some((p) => p.deviceOwner === DEVICE_OWNER.routerInterface && p.fixedIps.some((f) => f.subnetId === subnet.id && f.ipAddress === subnet.gatewayIp));
}
