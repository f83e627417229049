// What a legacy qrouter namespace decides: its interfaces, its routing
// table (connected, extra and default routes, longest prefix first) and its
// NAT: DNAT of floating IPs in PREROUTING, float-snat before the gateway
// SNAT in POSTROUTING, and the hairpin SNAT of DNATed traffic that leaves by
// a qr- port (docs/neutron-model.md, "Paths: routing in qrouter namespaces";
// plumbing/routerNat.ts renders the rules).
import { cidrContains, ipVersion, isIpAddress, parsePrefix } from '../addressing.js';
import { DEVICE_OWNER, isTunnelType, type FloatingIp, type Port, type Router, type Subnet } from '../model.js';
import { qgName, qrName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { label } from './types.js';

export interface RouterInterface {
  port: Port;
  subnet: Subnet;
  ip: string;
  /** qr-… or qg-… */
  device: string;
  /** The external gateway port (qg-). */
  gateway: boolean;
}

export interface Route {
  kind: 'CONNECTED' | 'EXTRA' | 'DEFAULT';
  /** A CIDR, or "default". */
  destination: string;
  via: RouterInterface;
  /** The next router on the way; null when the destination is on-link. */
  nexthop: string | null;
  /** The NAMESPACE hop's action, e.g. "route 10.0.2.0/24 via qr-…". */
  text: string;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether the prefix holds the address; a malformed prefix holds nothing. */
export function prefixHolds(prefix: string, ip: string): boolean {
  const cidr = parsePrefix(prefix);
  return cidr !== null && cidrContains(cidr, ip);
}

/** Every address of the router's qr- and qg- ports, qr- first, by port id. */
export function routerInterfaces(index: TopologyIndex, router: Router): readonly RouterInterface[] {
  return index.memo(`router interfaces ${router.id}`, () => {
    const result: RouterInterface[] = [];
    const ports = [...index.portsOfRouter(router.id)].sort(byId);
    for (const owner of [DEVICE_OWNER.routerInterface, DEVICE_OWNER.routerGateway]) {
      for (const port of ports.filter((p) => p.deviceOwner === owner)) {
        const gateway = owner === DEVICE_OWNER.routerGateway;
        for (const fixed of port.fixedIps) {
          const subnet = index.subnets.get(fixed.subnetId);
          if (!subnet) continue;
          result.push({ port, subnet, ip: fixed.ipAddress, device: gateway ? qgName(port.id) : qrName(port.id), gateway });
        }
      }
    }
    return result;
  });
}

/** The router's qg- addresses; floating IPs and SNAT only exist when there is one. */
export const gatewayInterfaces = (index: TopologyIndex, router: Router): readonly RouterInterface[] =>
  index.memo(`gateway interfaces ${router.id}`, () => routerInterfaces(index, router).filter((i) => i.gateway));

/**
 * The route the namespace picks for `dst`: the longest matching prefix
 * among connected routes, extra routes (whose next hop must be on a
 * connected subnet) and the default route via the external subnet's
 * gateway; on equal prefixes the connected route wins.
 */
export function routeLookup(index: TopologyIndex, router: Router, dst: string): Route | null {
  const interfaces = routerInterfaces(index, router);
  const candidates: { prefix: number; route: Route }[] = [];
  for (const via of interfaces) {
    const cidr = parsePrefix(via.subnet.cidr);
    if (cidr && cidrContains(cidr, dst)) {
      const text = `route ${cidr.text} via ${via.device}`;
      candidates.push({ prefix: cidr.prefix, route: { kind: 'CONNECTED', destination: cidr.text, via, nexthop: null, text } });
    }
  }
  for (const extra of router.routes) {
    const cidr = parsePrefix(extra.destination);
    if (!cidr || !isIpAddress(extra.nexthop) || !cidrContains(cidr, dst)) continue;
    const via = interfaces.find((i) => prefixHolds(i.subnet.cidr, extra.nexthop));
    if (!via) continue;
    const text = `route ${cidr.text} via ${extra.nexthop}`;
    candidates.push({ prefix: cidr.prefix, route: { kind: 'EXTRA', destination: cidr.text, via, nexthop: extra.nexthop, text } });
  }
  for (const via of gatewayInterfaces(index, router)) {
    const gw = via.subnet.gatewayIp;
    if (gw && isIpAddress(dst) && ipVersion(gw) === ipVersion(dst)) {
      candidates.push({ prefix: 0, route: { kind: 'DEFAULT', destination: 'default', via, nexthop: gw, text: `route default via ${gw}` } });
    }
  }
  let best: { prefix: number; route: Route } | null = null;
  for (const c of candidates) if (!best || c.prefix > best.prefix) best = c;
  return best?.route ?? null;
}

/** Ports of the network that hold the address, by id. */
export function portsWithIp(index: TopologyIndex, networkId: string, ip: string): Port[] {
  return index.portsWithAddress(ip).filter((p) => p.networkId === networkId).sort(byId);
}

/** Routers with an interface (qr-) on the subnet, by id. */
export function routersOnSubnet(index: TopologyIndex, subnetId: string): readonly Router[] {
  return index.memo(`routers on subnet ${subnetId}`, () => {
    const ids = new Set(
      index
        .portsOnSubnet(subnetId)
        .filter((p) => p.deviceOwner === DEVICE_OWNER.routerInterface && p.routerId)
        .map((p) => p.routerId as string),
    );
    return [...ids].map((id) => index.routers.get(id)).filter((r): r is Router => r !== undefined).sort(byId);
  });
}

/**
 * The gateway address of a provider (VLAN/flat) subnet when no Neutron port
 * holds it: a physical router outside the cloud routes that subnet.
 */
export function physicalGateway(index: TopologyIndex, subnet: Subnet): string | null {
  const network = index.networks.get(subnet.networkId);
  if (!network || isTunnelType(network.networkType) || !subnet.gatewayIp) return null;
  return portsWithIp(index, network.id, subnet.gatewayIp).length === 0 ? subnet.gatewayIp : null;
}

// --- floating IPs and NAT -------------------------------------------------------

/** A floating IP that does NAT: associated with an existing port, through an existing router with a gateway. */
export function activeFloatingIp(index: TopologyIndex, fip: FloatingIp): { router: Router; port: Port; fixedIp: string } | null {
  if (!fip.portId || !fip.fixedIpAddress || !fip.routerId) return null;
  const router = index.routers.get(fip.routerId);
  const port = index.ports.get(fip.portId);
  if (!router || !port || gatewayInterfaces(index, router).length === 0) return null;
  return { router, port, fixedIp: fip.fixedIpAddress };
}

const byIdFloatingIps = (index: TopologyIndex): readonly FloatingIp[] => index.memo('floating IPs by id', () => [...index.topology.floatingIps].sort(byId));
const activeFloatingIps = (index: TopologyIndex): readonly FloatingIp[] =>
  index.memo('active floating IPs', () => byIdFloatingIps(index).filter((f) => activeFloatingIp(index, f) !== null));

export function floatingIpByAddress(index: TopologyIndex, address: string): FloatingIp | null {
  return byIdFloatingIps(index).find((f) => f.floatingIpAddress === address) ?? null;
}

/** The active floating IP of a port's fixed IP. */
export function floatingIpOfPort(index: TopologyIndex, portId: string, fixedIp: string): FloatingIp | null {
  return activeFloatingIps(index).find((f) => f.portId === portId && f.fixedIpAddress === fixedIp) ?? null;
}

/** PREROUTING: the floating IP this router DNATs `dst` for, if any. */
export function dnatOf(index: TopologyIndex, router: Router, dst: string): FloatingIp | null {
  return activeFloatingIps(index).find((f) => f.floatingIpAddress === dst && f.routerId === router.id) ?? null;
}

/** float-snat: the floating IP a fixed source address leaves this router as. */
function floatSnat(index: TopologyIndex, router: Router, src: string): FloatingIp | null {
  return activeFloatingIps(index).find((f) => f.routerId === router.id && f.fixedIpAddress === src) ?? null;
}

export interface Nat {
  src: string;
  action: string;
}

/** POSTROUTING out of qg-: float-snat first, then the gateway SNAT when enabled. Neutron does no NAT for IPv6. */
export function snatAtGateway(index: TopologyIndex, router: Router, gateway: RouterInterface, src: string): Nat {
  if (ipVersion(src) === 6) return { src, action: `out to ${gateway.subnet.cidr}, no NAT for IPv6` };
  const fip = floatSnat(index, router, src);
  if (fip) return { src: fip.floatingIpAddress, action: `SNAT ${src} -> ${fip.floatingIpAddress}` };
  if (router.enableSnat) return { src: gateway.ip, action: `SNAT ${src} -> ${gateway.ip}` };
  return { src, action: `no SNAT (disabled on router ${label(router)}), source stays ${src}` };
}

/**
 * POSTROUTING out of a qr- port: east-west traffic is not NATed, but
 * traffic DNATed here after entering by a qr- port (`hairpin`; what came
 * in by qg- carries the external ingress mark and is exempt) leaves as its
 * own floating IP, else as the gateway IP, so that replies come back
 * through the router.
 */
export function snatAtInterface(index: TopologyIndex, router: Router, via: RouterInterface, src: string, hairpin: boolean): Nat {
  if (!hairpin) return { src, action: `out to ${via.subnet.cidr}, no NAT` };
  const fip = floatSnat(index, router, src);
  if (fip) return { src: fip.floatingIpAddress, action: `SNAT ${src} -> ${fip.floatingIpAddress}` };
  const gateway = gatewayInterfaces(index, router).find((g) => ipVersion(g.ip) === ipVersion(src));
  if (!gateway) return { src, action: `out to ${via.subnet.cidr}, no NAT` };
  return { src: gateway.ip, action: `SNAT ${src} -> ${gateway.ip}` };
}
