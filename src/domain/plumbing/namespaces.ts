// The network namespaces the L3 and DHCP agents build on a host
// (docs/neutron-model.md, "Namespaces (qrouter, qdhcp)"): qrouter-<router id> for each legacy router
// scheduled there that has an interface or a gateway, qdhcp-<network id>
// for each network whose DHCP port is bound there.
import { DEVICE_OWNER, type FloatingIp, type Port, type Router } from '../model.js';
import { dhcpNamespace, qgName, qrName, routerNamespace, tapName } from '../naming.js';
import { cidrContains, cidrOf, ipToBigInt, ipVersion, isIpAddress, parsePrefix, type Cidr } from '../addressing.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { compareNames } from './plug.js';
import { routerNatRules } from './routerNat.js';

export interface NamespaceInterface {
  name: string;
  /** The Neutron port's MAC, which the interface driver gives the device. */
  macAddress: string;
  /** address/prefix, e.g. 10.0.0.1/24; a floating IP is a /32 on qg. */
  addresses: string[];
}

export interface NamespaceRoute {
  /** CIDR; the default route is 0.0.0.0/0 (::/0). */
  destination: string;
  /** null for a connected route. */
  gateway: string | null;
  device: string;
}

export interface Namespace {
  name: string;
  kind: 'QROUTER' | 'QDHCP';
  routerId: string | null;
  networkId: string | null;
  /** By name. */
  interfaces: NamespaceInterface[];
  /** In the kernel's dump order: IPv4 before IPv6, by destination address, shorter prefix first. */
  routes: NamespaceRoute[];
  /** `iptables -t nat -S` of the namespace; empty for qdhcp. */
  natRules: string[];
}

interface Address {
  ip: string;
  /** The subnet's block; null for a floating IP (no connected route). */
  subnet: Cidr | null;
}

/** The port's fixed IPs with their subnets' prefix length; IPs of unknown subnets are skipped. */
function portAddresses(index: TopologyIndex, port: Port): Address[] {
  const result: Address[] = [];
  for (const { subnetId, ipAddress } of port.fixedIps) {
    const subnet = index.subnets.get(subnetId);
    if (subnet && isIpAddress(ipAddress)) result.push({ ip: ipAddress, subnet: cidrOf(subnet.cidr) });
  }
  return result;
}

const hostBits = (ip: string) => (ipVersion(ip) === 4 ? 32 : 128);
const addressText = (a: Address) => `${a.ip}/${a.subnet ? a.subnet.prefix : hostBits(a.ip)}`;
const defaultDestination = (ip: string) => (ipVersion(ip) === 4 ? '0.0.0.0/0' : '::/0');

function compareRoutes(a: NamespaceRoute, b: NamespaceRoute): number {
  const x = cidrOf(a.destination);
  const y = cidrOf(b.destination);
  if (x.version !== y.version) return x.version - y.version;
  if (x.first !== y.first) return x.first < y.first ? -1 : 1;
  return x.prefix - y.prefix || compareNames(a.device, b.device);
}

function connectedRoutes(device: string, addresses: Address[]): NamespaceRoute[] {
  const seen = new Set<string>();
  const routes: NamespaceRoute[] = [];
  for (const a of addresses) {
    if (!a.subnet || seen.has(a.subnet.text)) continue;
    seen.add(a.subnet.text);
    routes.push({ destination: a.subnet.text, gateway: null, device });
  }
  return routes;
}

/** One default route per IP version, via the gateway of the first subnet of the device that has one. */
function defaultRoutes(index: TopologyIndex, port: Port, device: string, subnetOk: (id: string) => boolean = () => true): NamespaceRoute[] {
  const routes = new Map<string, NamespaceRoute>();
  for (const { subnetId } of port.fixedIps) {
    const subnet = index.subnets.get(subnetId);
    if (!subnet?.gatewayIp || !subnetOk(subnetId) || !isIpAddress(subnet.gatewayIp)) continue;
    const destination = defaultDestination(subnet.gatewayIp);
    if (!routes.has(destination)) routes.set(destination, { destination, gateway: subnet.gatewayIp, device });
  }
  return [...routes.values()];
}

const byIp = (a: string, b: string) => {
  const x = ipToBigInt(a);
  const y = ipToBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function routerFloatingIps(index: TopologyIndex, router: Router): FloatingIp[] {
  return index.topology.floatingIps
    .filter((f) => f.routerId === router.id && f.portId !== null && f.fixedIpAddress !== null && isIpAddress(f.floatingIpAddress))
    .sort((a, b) => byIp(a.floatingIpAddress, b.floatingIpAddress));
}

function routerNamespaceOf(index: TopologyIndex, router: Router): Namespace | null {
  const ports = index.portsOfRouter(router.id);
  const qrPorts = ports.filter((p) => p.deviceOwner === DEVICE_OWNER.routerInterface);
  const gwPort = ports.find((p) => p.deviceOwner === DEVICE_OWNER.routerGateway) ?? null;
  // An empty router has no namespace anywhere.
  if (qrPorts.length === 0 && !gwPort && !router.gatewayNetworkId) return null;

  const devices: { name: string; macAddress: string; addresses: Address[] }[] = qrPorts.map((p) => ({
    name: qrName(p.id),
    macAddress: p.macAddress,
    addresses: portAddresses(index, p),
  }));
  const routes: NamespaceRoute[] = [];
  const fips = gwPort ? routerFloatingIps(index, router) : [];
  let gateway: { device: string; ip: string } | null = null;
  if (gwPort) {
    const qg = qgName(gwPort.id);
    const gwAddresses = portAddresses(index, gwPort);
    devices.push({ name: qg, macAddress: gwPort.macAddress, addresses: [...gwAddresses, ...fips.map((f) => ({ ip: f.floatingIpAddress, subnet: null }))] });
    routes.push(...defaultRoutes(index, gwPort, qg));
    const v4 = gwAddresses.find((a) => ipVersion(a.ip) === 4);
    if (v4) gateway = { device: qg, ip: v4.ip };
  }
  for (const d of devices) routes.push(...connectedRoutes(d.name, d.addresses));

  // Extra routes leave by the interface whose subnet holds the next hop.
  for (const { destination, nexthop } of router.routes) {
    const dest = parsePrefix(destination);
    const via = devices.find((d) => d.addresses.some((a) => a.subnet && cidrContains(a.subnet, nexthop)));
    if (dest && via) routes.push({ destination: dest.text, gateway: nexthop, device: via.name });
  }

  return {
    name: routerNamespace(router.id),
    kind: 'QROUTER',
    routerId: router.id,
    networkId: null,
    interfaces: devices
      .map((d) => ({ name: d.name, macAddress: d.macAddress, addresses: d.addresses.map(addressText) }))
      .sort((a, b) => compareNames(a.name, b.name)),
    routes: routes.sort(compareRoutes),
    natRules: routerNatRules({
      gateway,
      enableSnat: router.enableSnat,
      floatingIps: fips.map((f) => ({ floatingIp: f.floatingIpAddress, fixedIp: f.fixedIpAddress! })),
    }),
  };
}

/**
 * The DHCP agent plugs its port as tap… and sets a default route per IP
 * version via the gateway of the first DHCP-enabled subnet that has one.
 */
function dhcpNamespaceOf(index: TopologyIndex, networkId: string, ports: Port[]): Namespace {
  const interfaces: NamespaceInterface[] = [];
  const routes: NamespaceRoute[] = [];
  for (const port of ports) {
    const device = tapName(port.id);
    const addresses = portAddresses(index, port);
    interfaces.push({ name: device, macAddress: port.macAddress, addresses: addresses.map(addressText) });
    routes.push(...connectedRoutes(device, addresses));
    const dhcpSubnet = (id: string) => index.subnets.get(id)?.enableDhcp === true;
    for (const r of defaultRoutes(index, port, device, dhcpSubnet)) {
      if (!routes.some((x) => x.destination === r.destination)) routes.push(r);
    }
  }
  return {
    name: dhcpNamespace(networkId),
    kind: 'QDHCP',
    routerId: null,
    networkId,
    interfaces: interfaces.sort((a, b) => compareNames(a.name, b.name)),
    routes: routes.sort(compareRoutes),
    natRules: [],
  };
}

/** The host's qdhcp and qrouter namespaces, by name. */
export function hostNamespaces(index: TopologyIndex, hostId: string): Namespace[] {
  const namespaces: Namespace[] = [];
  for (const router of index.topology.routers) {
    if (router.hostId !== hostId) continue;
    const ns = routerNamespaceOf(index, router);
    if (ns) namespaces.push(ns);
  }
  const dhcpPorts = new Map<string, Port[]>();
  for (const port of index.portsOnHost(hostId)) {
    if (port.deviceOwner !== DEVICE_OWNER.dhcp) continue;
    dhcpPorts.set(port.networkId, [...(dhcpPorts.get(port.networkId) ?? []), port]);
  }
  for (const [networkId, ports] of dhcpPorts) namespaces.push(dhcpNamespaceOf(index, networkId, ports));
  return namespaces.sort((a, b) => compareNames(a.name, b.name));
}
