// The path engine: follows one packet from its source to its destination,
// taking the decisions the VM, br-int, the qrouter namespaces and the
// security groups take, and stops at the first one that drops it.
import { evaluateEgress, evaluateIngress, hasPorts, type Flow } from '../firewall/evaluate.js';
import { METADATA_IP, METADATA_PROXY_PORT, METADATA_SERVICE_PORT } from '../metadata.js';
import { DEVICE_OWNER, isTunnelType, isVmPort, type FloatingIp, type Host, type Network, type Port, type Router } from '../model.js';
import { dhcpNamespace, hexId, qbrName, qgName, qrName, qvbName, qvoName, routerNamespace, tapName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { portEndpoint, resolveEndpoints, type Endpoint, type OutsideEndpoint, type PortEndpoint } from './endpoints.js';
import { hideDevices, hideOtherProjects } from './viewer.js';
import { DEAD_VLAN } from '../plumbing/plug.js';
import { firewallDenial } from './denial.js';
import {
  brIntHop, crossHosts, externalGatewayHop, fromPhysical, hybridPlugged, ovsFirewallHop, qbrHop, qvbHop, qvoHop, tapHop, toPhysical, vmBrIntDevice, vnicHop,
  wiringProblem,
} from './l2.js';
import {
  activeFloatingIp, dnatOf, floatingIpByAddress, floatingIpOfPort, gatewayInterfaces, physicalGateway, portsWithIp,
  prefixHolds, routeLookup, routerInterfaces, routersOnSubnet, snatAtGateway, snatAtInterface, type Route,
} from './routing.js';
import { dhcpRoutes, routeFor } from './dhcpRoutes.js';
import { label, type DropReason, type EndpointRef, type FirewallDenial, type Hop, type HopDraft, type HopKind, type PathResult, type Verdict } from './types.js';

/** More routers than this on one path means the extra routes loop. */
const MAX_ROUTERS = 8;

/** Why and where the packet cannot go on; `short` becomes the dropping hop's action. */
interface Blocked {
  reason: DropReason;
  explanation: string;
  short: string;
}

/** Thrown once the dropping hop is recorded; tracePath turns it into the result. */
class Drop {
  constructor(readonly reason: DropReason, readonly explanation: string) {}
}

/** Thrown once the packet has left what the model follows; `where` ends the explanation. */
class Exit {
  constructor(readonly where: string) {}
}

/**
 * Thrown when an instance (named, not given by address) turns out to be
 * reachable only through its floating IP: the source must address that IP
 * from the start (its egress rules judge it), so the trace starts over.
 */
class Retarget {
  constructor(readonly floatingIp: FloatingIp, readonly why: string) {}
}

const blocked = (reason: DropReason, short: string, explanation: string): Blocked => ({ reason, short, explanation });
const isBlocked = (x: object): x is Blocked => 'reason' in x;

/** What the one hop that stands for another project's hops says when the path ends among them. */
const VERDICT_INSIDE: Record<Verdict, string> = {
  DELIVERED: 'delivered inside another project',
  EXITED: 'passed on inside another project',
  DROPPED: 'dropped inside another project',
};

/** Drops where routing, not the target's own state, kept the packet away. */
const ROUTING_REASONS = new Set<DropReason>(['NO_ROUTE', 'NO_ROUTER', 'NO_GATEWAY', 'NO_FLOATING_IP']);

const isRouterPort = (p: Port) => p.deviceOwner === DEVICE_OWNER.routerInterface || p.deviceOwner === DEVICE_OWNER.routerGateway;

function flowText(flow: Flow): string {
  if (flow.protocol === 'ANY') return 'any protocol';
  if (!hasPorts(flow.protocol)) return flow.protocol;
  const to = flow.destinationPort != null ? `${flow.protocol} ${flow.destinationPort}` : flow.protocol;
  return flow.sourcePort != null ? `${to} (source port ${flow.sourcePort})` : to;
}

/**
 * Traces one packet of `flow` from `from` to `to`. Throws EndpointError when
 * an endpoint is unknown or ambiguous; every other outcome is a PathResult.
 * `viewer`: the project asking (null for an admin). Its path starts at its
 * own instance, and other projects' security groups are not spelled out;
 * the index should be built from `asSeenBy` that project.
 */
export function tracePath(index: TopologyIndex, from: EndpointRef, to: EndpointRef, flow: Flow, viewer: string | null = null): PathResult {
  const { source, target } = resolveEndpoints(index, from, to, viewer);
  // An address the user gave is where the packet goes; only a named
  // instance or port may be addressed at its floating IP instead.
  const mayRetarget = !('ipAddress' in to);
  return new Tracer(index, flow, source, target, viewer, mayRetarget).run();
}

/**
 * The reply to a request from `from` to `to`, traced from `to` back to
 * `from`: routed as any packet, while the security groups let it through
 * as conntrack lets an ESTABLISHED reply of an allowed connection.
 */
export function traceReply(index: TopologyIndex, from: EndpointRef, to: EndpointRef, flow: Flow, viewer: string | null = null): PathResult {
  const { source, target } = resolveEndpoints(index, to, from, viewer);
  const tracer = new Tracer(index, flow, source, target, viewer, !('ipAddress' in from));
  tracer.conntrackReply = true;
  return tracer.run();
}

class Tracer {
  private readonly hops: Hop[] = [];
  private readonly routerIds: string[] = [];
  /** NAT steps (with the project whose router did them) and security group verdicts, for the summary. */
  private readonly nat: { text: string; owner: string | null }[] = [];
  private readonly checks: string[] = [];
  /**
   * Whose objects the packet is among: the project of the port, router or
   * network it is in, null on shared and external networks. `owners` holds
   * it for each hop, so that a project's answer can hide other projects'.
   */
  private territory: string | null = null;
  private readonly owners: (string | null)[] = [];
  /** The host of the last hop that had one: entering another host checks that it is up. */
  private hostId: string | null = null;
  private routersVisited = 0;
  private src: string;
  private dst: string;
  /** The port the packet is for: the target port, or the port behind a target floating IP. */
  private readonly targetPort: PortEndpoint | null;
  private floatingIp: string | null = null;
  /** Why a named target is addressed at its floating IP, for the summary. */
  private retargeted: string | null = null;
  /** What answered at the end, when it is not the target VM itself (a metadata proxy). */
  private answeredBy: string | null = null;
  /** The security group drop, when the viewer may see the port. */
  private denial: FirewallDenial | null = null;
  /** A reply of an allowed connection: the stateful rules let it through. */
  conntrackReply = false;

  constructor(
    private readonly index: TopologyIndex,
    private readonly flow: Flow,
    private readonly source: PortEndpoint | OutsideEndpoint,
    private readonly target: Endpoint,
    private readonly viewer: string | null,
    private readonly mayRetarget: boolean,
    retarget: Retarget | null = null,
  ) {
    const viaFloatingIp = retarget?.floatingIp ?? null;
    this.retargeted = retarget?.why ?? null;
    this.src = source.kind === 'PORT' ? source.ip : source.address;
    if (target.kind === 'PORT') {
      this.dst = viaFloatingIp?.floatingIpAddress ?? target.ip;
      this.floatingIp = viaFloatingIp?.floatingIpAddress ?? null;
      this.targetPort = target;
    } else if (target.kind === 'OUTSIDE') {
      this.dst = target.address;
      this.targetPort = null;
    } else {
      this.dst = target.floatingIp.floatingIpAddress;
      this.floatingIp = this.dst;
      const active = activeFloatingIp(index, target.floatingIp);
      this.targetPort = active ? portEndpoint(index, active.port, active.fixedIp) : null;
    }
  }

  run(): PathResult {
    try {
      if (this.source.kind === 'PORT') this.fromVm(this.source);
      else this.fromOutside(null);
      return this.result('DELIVERED', null, this.summary(null));
    } catch (e) {
      if (e instanceof Drop) {
        const explanation = this.hidden(this.territory)
          ? `The packet was dropped inside another project (${e.reason}).`
          : `${e.explanation}${ROUTING_REASONS.has(e.reason) ? this.hint(false) : ''}`;
        return this.result('DROPPED', e.reason, explanation);
      }
      if (e instanceof Exit) return this.result('EXITED', null, `${this.summary(e.where)}${this.hint(true)}`);
      if (e instanceof Retarget) {
        const again = new Tracer(this.index, this.flow, this.source, this.target, this.viewer, false, e);
        again.conntrackReply = this.conntrackReply;
        return again.run();
      }
      throw e;
    }
  }

  // --- recording hops ---------------------------------------------------------

  private add(draft: HopDraft): void {
    if (draft.hostId !== null && draft.hostId !== this.hostId) {
      this.hostId = draft.hostId;
      const host = this.index.hosts.get(draft.hostId);
      if (host && !host.up) {
        this.hops.push({ seq: this.hops.length + 1, ...draft, action: `dropped: host ${host.name} is down` });
        this.owners.push(this.territory);
        throw new Drop('HOST_DOWN', `Host ${label(host)} is down, so the packet is lost at ${draft.device}.`);
      }
    }
    this.hops.push({ seq: this.hops.length + 1, ...draft });
    this.owners.push(this.territory);
  }

  /** A network's objects are its project's, unless every project may read it. */
  private enterNetwork(network: Network): void {
    this.territory = network.shared || network.external ? null : network.projectId;
  }

  /** Whether the viewer may not see what is at `owner`'s. */
  private hidden(owner: string | null): boolean {
    return this.viewer !== null && owner !== null && owner !== this.viewer;
  }

  private fail(draft: HopDraft, blocked: Blocked): never {
    this.add({ ...draft, action: `dropped: ${blocked.short}` });
    throw new Drop(blocked.reason, blocked.explanation);
  }

  /** br-int has nowhere to send the frame. */
  private failOnBrInt(network: Network, host: Host, blocked: Blocked): never {
    this.fail(brIntHop(this.index, network, host, () => ''), blocked);
  }

  private routerHop(host: Host, router: Router, device: string, kind: HopKind, networkId: string | null, action: string): HopDraft {
    const namespace = routerNamespace(router.id);
    const vlan = networkId === null ? null : this.index.localVlan(host.id, networkId);
    return { hostId: host.id, namespace, device, kind, vlan, tunnelId: null, action };
  }

  // --- the source VM ------------------------------------------------------------

  private fromVm(s: PortEndpoint): void {
    const { port } = s;
    this.territory = port.projectId;
    const vnic = () => vnicHop(s.name, port.hostId, `send ${flowText(this.flow)} ${this.src} -> ${this.dst}`);
    const host = this.boundHost(s);
    if (isBlocked(host)) this.fail(vnic(), host);
    if (port.status !== 'ACTIVE' || !port.adminStateUp) this.fail(vnic(), this.portDown(s));
    const nextHop = this.vmNextHop(s);
    if (typeof nextHop !== 'string') this.fail(vnic(), nextHop);
    this.add(vnic());
    const vlan = this.index.localVlan(host.id, port.networkId);
    const wiring = wiringProblem(this.index, port.networkId, host);
    const notWired = () => blocked(wiring!.reason, 'port not wired', `Port ${label(port)} of ${s.name} is not wired: ${wiring!.why}.`);
    if (!hybridPlugged(host)) {
      // The OVS firewall: the tap is br-int's access port and br-int's conntrack tables filter it.
      const tap = tapHop(port, `from the VM into br-int, tag local VLAN ${vlan}`);
      if (wiring) this.fail(tap, notWired());
      this.add(tap);
      const egress = this.firewall('egress', s);
      this.add(ovsFirewallHop(port, vlan, 'egress', egress.action));
      if (egress.denied) throw new Drop('SECURITY_GROUP_EGRESS', egress.denied);
      return this.forward(this.index.networks.get(port.networkId)!, host, nextHop);
    }
    this.add(tapHop(port, 'from the VM into the host'));
    const egress = this.firewall('egress', s);
    this.add(qbrHop(port, egress.action));
    if (egress.denied) throw new Drop('SECURITY_GROUP_EGRESS', egress.denied);
    this.add(qvbHop(port, `veth to ${qvoName(port.id)}`));
    const qvo = qvoHop(port, vlan, `tag local VLAN ${vlan}`);
    if (wiring) this.fail(qvo, notWired());
    this.add(qvo);
    this.forward(this.index.networks.get(port.networkId)!, host, nextHop);
  }

  /**
   * The VM's own routing: on-link addresses directly, the metadata address
   * and the subnet's host routes as DHCP gave them (the network's other IPv4
   * subnets on-link), the rest to its subnet's gateway. A
   * named target on another network that only looks on-link (overlapping
   * addresses) is reached through its floating IP.
   */
  private vmNextHop(s: PortEndpoint): string | Blocked {
    const subnet = s.subnet;
    const onLink = (ip: string) => subnet !== null && prefixHolds(subnet.cidr, ip);
    const t = this.targetPort;
    if (t && this.dst === t.ip && onLink(t.ip) && t.port.networkId !== s.port.networkId) {
      this.retargetToFloatingIp(t, `${t.ip} is on ${s.name}'s own subnet but ${t.name} is on another network`);
    }
    if (onLink(this.dst)) return this.dst;
    if (!subnet) {
      return blocked(
        'NO_ROUTER',
        'no subnet',
        `The subnet of ${s.ip} of port ${label(s.port)} is unknown, so ${s.name} has no route to ${this.dst}.`,
      );
    }
    const learned = dhcpRoutes(this.index, subnet);
    const route = learned ? routeFor(learned.routes, this.dst) : null;
    if (route) return route.nexthop ?? this.dst;
    const gateway = learned ? learned.gateway : subnet.gatewayIp;
    if (!gateway) {
      return blocked(
        'NO_ROUTER',
        `no gateway on ${subnet.cidr}`,
        `Subnet ${label(subnet)} has no gateway IP, so ${s.name} has no route to ${this.dst}.`,
      );
    }
    // A default host route's next hop is followed as given: forward() says what holds it.
    if (gateway !== subnet.gatewayIp) return gateway;
    const holders = portsWithIp(this.index, subnet.networkId, gateway);
    const routed = holders.some((p) => isRouterPort(p) && p.routerId && this.index.routers.has(p.routerId));
    if (!routed && physicalGateway(this.index, subnet) === null) {
      return blocked(
        'NO_ROUTER',
        `no router holds ${gateway}`,
        `No router has an interface on subnet ${label(subnet)} (gateway ${gateway}), so ${s.name} cannot reach ${this.dst} outside ${subnet.cidr}.`,
      );
    }
    return gateway;
  }

  // --- ports ----------------------------------------------------------------------

  private boundHost(p: PortEndpoint): Host | Blocked {
    const { port } = p;
    if (!port.hostId) {
      return blocked('PORT_UNBOUND', 'port not bound', `Port ${label(port)} of ${p.name} is not bound to any host.`);
    }
    const host = this.index.hosts.get(port.hostId);
    if (!host) {
      return blocked(
        'PORT_UNBOUND',
        'port not bound',
        `Port ${label(port)} of ${p.name} is bound to host ${port.hostId}, which is not a known host.`,
      );
    }
    return host;
  }

  private portDown(p: PortEndpoint): Blocked {
    const { port } = p;
    if (!port.adminStateUp) {
      return blocked(
        'PORT_DOWN',
        'port administratively down',
        `Port ${label(port)} of ${p.name} is administratively down (admin_state_up false): the OVS agent tags it with the dead VLAN ${DEAD_VLAN}, whose frames br-int drops.`,
      );
    }
    return blocked(
      'PORT_DOWN',
      `port ${port.status}`,
      `Port ${label(port)} of ${p.name} is ${port.status}, not ACTIVE: the OVS agent has not wired it.`,
    );
  }

  /** The hybrid driver's verdict on qbr; a port without port security is not filtered. */
  private firewall(direction: 'egress' | 'ingress', p: PortEndpoint): { action: string; denied: string | null } {
    if (!p.port.portSecurityEnabled) {
      this.checks.push(`${direction} of ${p.name} not filtered (port security disabled)`);
      return { action: 'port security disabled: no filtering', denied: null };
    }
    if (this.conntrackReply) {
      this.checks.push(`${direction} of ${p.name} allowed as a reply (conntrack ESTABLISHED)`);
      return { action: `security group ${direction}: allowed, the reply of an allowed connection (conntrack ESTABLISHED)`, denied: null };
    }
    const decision =
      direction === 'egress'
        ? evaluateEgress(this.index, p.port, this.flow, this.dst)
        : evaluateIngress(this.index, p.port, this.flow, this.src);
    // Another project's rules are its own business: only their verdict shows.
    const foreign = this.viewer !== null && p.port.projectId !== this.viewer;
    const why = foreign
      ? `${decision.allowed ? 'allowed' : 'not allowed'} by the security groups of another project`
      : decision.explanation.replace(/\.$/, '');
    if (decision.allowed) {
      this.checks.push(why.startsWith('allowed') ? `${direction} ${why}` : `${direction} allowed: ${why}`);
      return { action: `security group ${direction}: ${why}`, denied: null };
    }
    const peer = direction === 'egress' ? `to ${this.dst}` : `from ${this.src}`;
    if (!foreign) this.denial = firewallDenial(this.index, p.port, direction, direction === 'egress' ? this.dst : this.src, this.flow);
    return {
      action: `security group ${direction}: dropped, ${why}`,
      denied: `Security groups of port ${label(p.port)} (${p.name}) deny ${direction} ${flowText(this.flow)} ${peer}: ${why}.`,
    };
  }

  /** A named target whose fixed IP is out of reach is addressed at its floating IP, when it has one. */
  private retargetToFloatingIp(t: PortEndpoint, why: string): void {
    if (!this.mayRetarget) return;
    const fip = floatingIpOfPort(this.index, t.port.id, t.ip);
    if (fip) throw new Retarget(fip, `${t.name} is addressed at its floating IP ${fip.floatingIpAddress}: ${why}`);
  }

  /** Why a fixed IP cannot be reached from outside the cloud; the hint says what would reach it. */
  private unreachableFromOutside(t: PortEndpoint): Blocked {
    const why = `${t.ip} of ${t.name} is a fixed IP, which is not reachable from outside the cloud`;
    this.retargetToFloatingIp(t, why);
    if (floatingIpOfPort(this.index, t.port.id, t.ip)) {
      return blocked('NO_ROUTE', `no route to ${t.ip}`, `${why}: the external network routes only floating IPs into the cloud.`);
    }
    if (t.subnet && routersOnSubnet(this.index, t.subnet.id).length === 0) {
      return blocked('NO_ROUTER', `no router on ${t.subnet.cidr}`, `${why}, and no router serves its subnet ${label(t.subnet)}.`);
    }
    return blocked('NO_FLOATING_IP', `${t.ip} needs a floating IP`, `${why}, and port ${label(t.port)} of ${t.name} has no floating IP.`);
  }

  /**
   * For a target given by its fixed IP that routing did not take the packet
   * to: the floating IP that would reach it, when the viewer may know it;
   * for a packet that left the cloud (`exited`) also why nothing would.
   */
  private hint(exited: boolean): string {
    const t = this.targetPort;
    if (!t || this.dst !== t.ip || this.floatingIp !== null) return '';
    if (this.viewer !== null && t.port.projectId !== this.viewer) return '';
    const fip = floatingIpOfPort(this.index, t.port.id, t.ip);
    if (fip) return ` ${t.ip} is a fixed IP of ${t.name}; its floating IP ${fip.floatingIpAddress} would reach it.`;
    if (!exited) return '';
    if (t.subnet && routersOnSubnet(this.index, t.subnet.id).length === 0) {
      return ` ${t.ip} of ${t.name} is on subnet ${label(t.subnet)}, which no router serves.`;
    }
    return ` ${t.ip} is a fixed IP of ${t.name}, which has no floating IP.`;
  }

  // --- layer 2: who holds the next hop on this network ------------------------------

  /** The packet is on br-int of `host` in `network`, addressed at layer 2 to `nextHop`. */
  private forward(network: Network, host: Host, nextHop: string): void {
    this.enterNetwork(network);
    const t = this.targetPort;
    if (t && t.port.networkId === network.id && nextHop === t.ip && this.dst === t.ip) return this.deliver(network, host, t);
    const holders = portsWithIp(this.index, network.id, nextHop);
    const routerPort = holders.find((p) => isRouterPort(p) && p.routerId && this.index.routers.has(p.routerId));
    if (routerPort) return this.toRouter(network, host, this.index.routers.get(routerPort.routerId!)!, routerPort);
    const fip = floatingIpByAddress(this.index, nextHop);
    if (fip && fip.floatingNetworkId === network.id) return this.toFloatingIp(network, host, fip);
    const dhcp = holders.find((p) => p.deviceOwner === DEVICE_OWNER.dhcp);
    if (dhcp && this.dst === METADATA_IP) return this.toIsolatedMetadata(network, host, dhcp, nextHop);
    const vm = holders.find(isVmPort);
    if (vm && nextHop !== this.dst) return this.toRoutingVm(network, host, vm, nextHop);
    if (holders.length > 0) {
      this.failOnBrInt(network, host, blocked(
        'NO_ROUTE',
        `${nextHop} is not a router`,
        `The next hop ${nextHop} towards ${this.dst} is port ${label(holders[0])} on network ${label(network)}, which is not a router port.`,
      ));
    }
    // On a provider network whatever no port holds is behind the physical network.
    if (!isTunnelType(network.networkType)) return this.toOutside(network, host, nextHop);
    this.failOnBrInt(network, host, blocked(
      'NO_ROUTE',
      `nothing holds ${nextHop}`,
      `Nothing on network ${label(network)} holds ${nextHop}, the next hop towards ${this.dst}.`,
    ));
  }

  /**
   * A VM holds the next hop (an extra route's, or a gateway address): the
   * packet is handed to that VM, as Linux forwards to any next hop, and what
   * the VM does with it is beyond the model.
   */
  private toRoutingVm(network: Network, host: Host, port: Port, nextHop: string): void {
    const vm = portEndpoint(this.index, port, nextHop);
    this.deliver(network, host, vm, `hand ${this.src} -> ${this.dst} to ${vm.name} (next hop ${nextHop})`);
    throw new Exit(`handed to ${vm.name} (${nextHop}), the next hop towards ${this.dst}, which routes it onwards; what that VM does with it is outside the model`);
  }

  /** Isolated metadata: the DHCP port's namespace holds 169.254.169.254, where the DHCP agent's proxy listens. */
  private toIsolatedMetadata(network: Network, host: Host, port: Port, nextHop: string): void {
    const agent = port.hostId ? this.index.hosts.get(port.hostId) : undefined;
    if (!agent) {
      this.failOnBrInt(network, host, blocked(
        'PORT_UNBOUND',
        'DHCP port not bound',
        `DHCP port ${port.id} of network ${label(network)}, which serves ${METADATA_IP}, is not bound to any host.`,
      ));
    }
    const wiring = wiringProblem(this.index, network.id, agent);
    if (wiring) this.failOnBrInt(network, host, blocked(wiring.reason, 'port not wired', `DHCP port ${port.id} of network ${label(network)} is not wired: ${wiring.why}.`));
    const device = tapName(port.id);
    for (const hop of crossHosts(this.index, network, host, agent, device)) this.add(hop);
    const namespace = dhcpNamespace(network.id);
    const vlan = this.index.localVlan(agent.id, network.id);
    this.add({ hostId: agent.id, namespace, device, kind: 'DHCP_INTERFACE', vlan, tunnelId: null, action: `in on ${nextHop}; ${METADATA_IP}/32 is an address of ${namespace}` });
    if (!this.isMetadataRequest()) {
      this.answeredBy = `${namespace}, which holds ${METADATA_IP} (no metadata proxy for ${flowText(this.flow)})`;
      return;
    }
    const action = `the DHCP agent's metadata proxy (haproxy) listens on ${METADATA_IP}:${METADATA_SERVICE_PORT} and answers for network ${network.name || network.id}`;
    this.add({ hostId: agent.id, namespace, device: 'haproxy', kind: 'METADATA_PROXY', vlan: null, tunnelId: null, action });
    this.answeredBy = `the DHCP agent's metadata proxy in ${namespace} (isolated metadata)`;
  }

  private isMetadataRequest(): boolean {
    return this.dst === METADATA_IP && this.flow.protocol === 'TCP' && this.flow.destinationPort === METADATA_SERVICE_PORT;
  }

  private deliver(network: Network, host: Host, t: PortEndpoint, lastAction = `deliver to ${t.name} (${t.ip})`): void {
    const target = this.boundHost(t);
    if (isBlocked(target)) this.failOnBrInt(network, host, target);
    const wiring = wiringProblem(this.index, network.id, target);
    if (wiring) this.failOnBrInt(network, host, blocked(
      wiring.reason,
      'port not wired',
      `Port ${label(t.port)} of ${t.name} is not wired: ${wiring.why}.`,
    ));
    for (const hop of crossHosts(this.index, network, host, target, vmBrIntDevice(t.port, target))) this.add(hop);
    this.arrive(t, target, lastAction);
  }

  /** From br-int of the target's host into the VM: qvo, qvb, qbr (ingress filter), tap; or br-int's ingress tables and the tap. */
  private arrive(t: PortEndpoint, host: Host, lastAction = `deliver to ${t.name} (${t.ip})`): void {
    const { port } = t;
    this.territory = port.projectId;
    const vlan = this.index.localVlan(host.id, port.networkId);
    if (!hybridPlugged(host)) {
      if (port.status !== 'ACTIVE' || !port.adminStateUp) this.fail(ovsFirewallHop(port, vlan, 'ingress', ''), this.portDown(t));
      const ingress = this.firewall('ingress', t);
      this.add(ovsFirewallHop(port, vlan, 'ingress', ingress.action));
      if (ingress.denied) throw new Drop('SECURITY_GROUP_INGRESS', ingress.denied);
      this.add(tapHop(port, `untag local VLAN ${vlan}, out to the VM`));
      this.add(vnicHop(t.name, port.hostId, lastAction));
      return;
    }
    const qvo = qvoHop(port, vlan, `untag local VLAN ${vlan} to ${qvbName(port.id)}`);
    if (port.status !== 'ACTIVE' || !port.adminStateUp) this.fail(qvo, this.portDown(t));
    this.add(qvo);
    this.add(qvbHop(port, `veth to ${qbrName(port.id)}`));
    const ingress = this.firewall('ingress', t);
    this.add(qbrHop(port, ingress.action));
    if (ingress.denied) throw new Drop('SECURITY_GROUP_INGRESS', ingress.denied);
    this.add(tapHop(port, 'to the VM'));
    this.add(vnicHop(t.name, port.hostId, lastAction));
  }

  // --- routers ----------------------------------------------------------------------

  /** The host whose L3 agent runs the router's namespace. */
  private l3Agent(router: Router): Host | Blocked {
    if (!router.hostId) {
      return blocked(
        'NO_L3_AGENT',
        `router ${router.name} not scheduled`,
        `Router ${label(router)} is not scheduled to any L3 agent, so no namespace routes ${this.dst}.`,
      );
    }
    const host = this.index.hosts.get(router.hostId);
    if (!host) {
      return blocked(
        'NO_L3_AGENT',
        `router ${router.name} not scheduled`,
        `Router ${label(router)} is scheduled to host ${router.hostId}, which is not a known host.`,
      );
    }
    if (!host.up) {
      return blocked(
        'NO_L3_AGENT',
        `L3 agent host ${host.name} down`,
        `Router ${label(router)} is scheduled to host ${label(host)}, which is down, so its L3 agent cannot route ${this.dst}.`,
      );
    }
    return host;
  }

  private toRouter(network: Network, host: Host, router: Router, port: Port): void {
    // What stops the packet at a router is that router's project's business.
    this.territory = router.projectId;
    const agent = this.l3Agent(router);
    if (isBlocked(agent)) this.failOnBrInt(network, host, agent);
    const wiring = wiringProblem(this.index, network.id, agent);
    if (wiring) this.failOnBrInt(network, host, this.routerPortNotWired(router, port, wiring.reason, wiring.why));
    this.enterNetwork(network);
    for (const hop of crossHosts(this.index, network, host, agent, routerDevice(port))) this.add(hop);
    this.enterRouter(router, port, agent);
  }

  /** The floating IP's /32 lives on its router's qg-, which answers for it on the external network. */
  private toFloatingIp(network: Network, host: Host, fip: FloatingIp): void {
    const active = activeFloatingIp(this.index, fip);
    if (!active) this.failOnBrInt(network, host, this.unassociated(fip));
    this.territory = active.router.projectId;
    const qg = gatewayInterfaces(this.index, active.router).find((g) => g.port.networkId === network.id);
    if (!qg) this.failOnBrInt(network, host, this.noGatewayFor(active.router, network, fip.floatingIpAddress));
    this.toRouter(network, host, active.router, qg.port);
  }

  private unassociated(fip: FloatingIp): Blocked {
    return blocked(
      'NO_FLOATING_IP',
      `floating IP ${fip.floatingIpAddress} not associated`,
      `Floating IP ${fip.floatingIpAddress}${this.hidden(fip.projectId) ? '' : ` (${fip.id})`} is not associated with a port, so nothing answers for it.`,
    );
  }

  private noGatewayFor(router: Router, network: Network | undefined, address: string): Blocked {
    return blocked(
      'NO_GATEWAY',
      `router ${router.name} has no gateway`,
      `Router ${label(router)}, which holds floating IP ${address}, has no gateway on network ${network ? label(network) : 'of that floating IP'}.`,
    );
  }

  private routerPortNotWired(router: Router, port: Port, reason: Blocked['reason'], why: string): Blocked {
    return blocked(reason, 'port not wired', `Port ${routerDevice(port)} (${port.id}) of router ${label(router)} is not wired: ${why}.`);
  }

  /** In through one router port: PREROUTING (DNAT), the routing decision, out through another with POSTROUTING (SNAT). */
  private enterRouter(router: Router, port: Port, host: Host): void {
    this.territory = router.projectId;
    const gatewayIn = port.deviceOwner === DEVICE_OWNER.routerGateway;
    const entry = routerInterfaces(this.index, router).find((i) => i.port.id === port.id);
    const fip = dnatOf(this.index, router, this.dst);
    let action = `in on ${entry ? `${entry.ip} (${entry.subnet.cidr})` : routerDevice(port)}`;
    // neutron-l3-agent-PREROUTING: -d 169.254.169.254/32 -i qr-+ -p tcp --dport 80 -j REDIRECT
    const metadata = !gatewayIn && this.isMetadataRequest();
    if (metadata) action = `REDIRECT ${METADATA_IP}:${METADATA_SERVICE_PORT} to local port ${METADATA_PROXY_PORT}`;
    if (fip) {
      action = `DNAT ${this.dst} -> ${fip.fixedIpAddress}`;
      this.nat.push({ text: action, owner: this.territory });
      this.dst = fip.fixedIpAddress!;
    }
    const entryKind = gatewayIn ? 'GATEWAY_INTERFACE' : 'ROUTER_INTERFACE';
    const entryHop = this.routerHop(host, router, routerDevice(port), entryKind, port.networkId, action);
    if (this.routerIds[this.routerIds.length - 1] !== router.id) this.routerIds.push(router.id);
    if (++this.routersVisited > MAX_ROUTERS) {
      this.fail(entryHop, blocked(
        'NO_ROUTE',
        'routing loop',
        `The packet passed ${MAX_ROUTERS} routers without reaching ${this.dst}: the routes up to router ${label(router)} loop.`,
      ));
    }
    this.add(entryHop);

    const namespace = routerNamespace(router.id);
    if (metadata) {
      const proxy = `the L3 agent's metadata proxy (haproxy) on port ${METADATA_PROXY_PORT} answers for router ${router.name || router.id}`;
      this.add({ hostId: host.id, namespace, device: 'haproxy', kind: 'METADATA_PROXY', vlan: null, tunnelId: null, action: proxy });
      this.answeredBy = `the metadata proxy in ${namespace}`;
      return;
    }
    const route = this.routeFor(router);
    const nsHop = this.routerHop(host, router, namespace, 'NAMESPACE', null, isBlocked(route) ? '' : route.text);
    if (isBlocked(route)) this.fail(nsHop, route);
    this.add(nsHop);

    const { via } = route;
    // Traffic that came in by qg- carries the external ingress mark and is not hairpin-SNATed.
    const hairpin = fip !== null && !gatewayIn;
    const nat = via.gateway
      ? snatAtGateway(this.index, router, via, this.src)
      : snatAtInterface(this.index, router, via, this.src, hairpin);
    if (nat.src !== this.src) this.nat.push({ text: nat.action, owner: this.territory });
    this.src = nat.src;
    const exitKind = via.gateway ? 'GATEWAY_INTERFACE' : 'ROUTER_INTERFACE';
    const exitHop = this.routerHop(host, router, via.device, exitKind, via.port.networkId, nat.action);
    const wiring = wiringProblem(this.index, via.port.networkId, host);
    if (wiring) this.fail(exitHop, this.routerPortNotWired(router, via.port, wiring.reason, wiring.why));
    this.add(exitHop);
    this.forward(this.index.networks.get(via.port.networkId)!, host, route.nexthop ?? this.dst);
  }

  /**
   * The namespace's route to the destination. A target port the router
   * cannot reach directly (another router's subnet, overlapping addresses)
   * is reached through its floating IP, unless it sits on a provider subnet
   * that the physical network routes.
   */
  private routeFor(router: Router): Route | Blocked {
    const route = routeLookup(this.index, router, this.dst);
    const t = this.targetPort;
    if (t && this.dst === t.ip && !reaches(route, t)) {
      const physical = route?.kind === 'DEFAULT' && t.subnet !== null && physicalGateway(this.index, t.subnet) !== null;
      if (!physical) this.retargetToFloatingIp(t, `router ${label(router)} has no route to its fixed IP ${t.ip} but its default route`);
    }
    if (route) return route;
    if (gatewayInterfaces(this.index, router).length === 0) {
      return blocked(
        'NO_GATEWAY',
        'no external gateway',
        `Router ${label(router)} has no external gateway, so it cannot reach ${this.dst}.`,
      );
    }
    return blocked('NO_ROUTE', `no route to ${this.dst}`, `Router ${label(router)} has no route to ${this.dst}.`);
  }

  // --- outside the cloud --------------------------------------------------------------

  /**
   * Out of a provider network's physnet bridge to the address outside that
   * owns `nextHop`. The model follows the packet on only to what it holds
   * past that gateway: a floating IP, or a provider subnet the physical
   * network routes; anything else has left the modelled cloud.
   */
  private toOutside(network: Network, host: Host, nextHop: string): void {
    for (const hop of toPhysical(this.index, network, host)) this.add(hop);
    this.territory = null;
    if (this.modelledBeyondGateway()) {
      this.add(externalGatewayHop(network, nextHop, `route ${this.src} -> ${this.dst} onwards`));
      return this.fromOutside(nextHop);
    }
    const packet = `${this.src} -> ${this.dst}`;
    if (nextHop === this.dst) {
      this.add(externalGatewayHop(network, nextHop, `out on the physical network of ${network.name || network.id}: ${packet}`));
      throw new Exit(`left the modelled cloud on the physical network of ${label(network)} towards ${this.dst}, as ${packet}; what happens after is outside the model`);
    }
    this.add(externalGatewayHop(network, nextHop, `exit through gateway ${nextHop}: ${packet}`));
    throw new Exit(`left the modelled cloud through gateway ${nextHop} of network ${label(network)}, as ${packet}; what happens after is outside the model`);
  }

  /** A floating IP, or a target on a provider subnet whose gateway is a physical router. */
  private modelledBeyondGateway(): boolean {
    if (floatingIpByAddress(this.index, this.dst)) return true;
    const t = this.targetPort;
    return t !== null && this.dst === t.ip && t.subnet !== null && physicalGateway(this.index, t.subnet) !== null;
  }

  /**
   * The packet is outside the cloud (sent from there, or handed to the
   * physical gateway `lastGateway`) and comes in through a floating IP, or
   * through the physical gateway of a provider subnet.
   */
  private fromOutside(lastGateway: string | null): void {
    const t = this.targetPort;
    if (t && this.dst === t.ip && !floatingIpByAddress(this.index, this.dst)) {
      const gateway = t.subnet ? physicalGateway(this.index, t.subnet) : null;
      if (gateway) return this.inToPort(t, gateway, lastGateway);
      this.failOutside(null, null, lastGateway, this.unreachableFromOutside(t));
    }
    const fip = floatingIpByAddress(this.index, this.dst);
    if (!fip) {
      this.failOutside(null, null, lastGateway, blocked(
        'NO_ROUTE',
        `nothing holds ${this.dst}`,
        `Nothing in the cloud holds ${this.dst}.`,
      ));
    }
    const network = this.index.networks.get(fip.floatingNetworkId);
    const subnet = network ? this.index.subnetsOfNetwork(network.id).find((s) => prefixHolds(s.cidr, fip.floatingIpAddress)) : undefined;
    const gateway = subnet?.gatewayIp ?? network?.physicalNetwork ?? fip.floatingNetworkId;
    const active = activeFloatingIp(this.index, fip);
    if (!active) this.failOutside(gateway, network ?? null, lastGateway, this.unassociated(fip));
    this.territory = active.router.projectId;
    const qg = gatewayInterfaces(this.index, active.router).find((g) => g.port.networkId === fip.floatingNetworkId);
    if (!network || !qg) {
      this.failOutside(gateway, network ?? null, lastGateway, this.noGatewayFor(active.router, network, fip.floatingIpAddress));
    }
    if (isTunnelType(network.networkType)) {
      this.failOutside(gateway, network, lastGateway, blocked(
        'NO_ROUTE',
        `${network.name} has no physical uplink`,
        `External network ${label(network)} is ${network.networkType}, so the physical network does not reach floating IP ${fip.floatingIpAddress}.`,
      ));
    }
    const agent = this.l3Agent(active.router);
    if (isBlocked(agent)) this.failOutside(gateway, network, lastGateway, agent);
    const wiring = wiringProblem(this.index, network.id, agent);
    if (wiring) this.failOutside(gateway, network, lastGateway, this.routerPortNotWired(active.router, qg.port, wiring.reason, wiring.why));
    this.enterFromOutside(gateway, network, lastGateway);
    for (const hop of fromPhysical(this.index, network, agent, qg.device)) this.add(hop);
    this.enterRouter(active.router, qg.port, agent);
  }

  /** A target on a provider subnet, reached from outside through that subnet's physical gateway. */
  private inToPort(t: PortEndpoint, gateway: string, lastGateway: string | null): void {
    const network = this.index.networks.get(t.port.networkId);
    if (!network) {
      this.failOutside(gateway, null, lastGateway, blocked(
        'PORT_UNBOUND',
        'port not wired',
        `Port ${label(t.port)} of ${t.name} is on network ${t.port.networkId}, which does not exist.`,
      ));
    }
    const host = this.boundHost(t);
    if (isBlocked(host)) this.failOutside(gateway, network, lastGateway, host);
    const wiring = wiringProblem(this.index, network.id, host);
    if (wiring) this.failOutside(gateway, network, lastGateway, blocked(
      wiring.reason,
      'port not wired',
      `Port ${label(t.port)} of ${t.name} is not wired: ${wiring.why}.`,
    ));
    this.enterFromOutside(gateway, network, lastGateway);
    for (const hop of fromPhysical(this.index, network, host, vmBrIntDevice(t.port, host))) this.add(hop);
    this.arrive(t, host);
  }

  /** The gateway that hands the packet to the cloud, unless it is the one the packet just reached. */
  private enterFromOutside(gateway: string, network: Network, lastGateway: string | null): void {
    this.territory = null;
    if (gateway !== lastGateway) this.add(externalGatewayHop(network, gateway, `from ${this.src} to ${this.dst} on ${network.name}`));
    this.enterNetwork(network);
  }

  /** Dropped outside: at the entry gateway when known, else where the packet already is. */
  private failOutside(gateway: string | null, network: Network | null, lastGateway: string | null, blocked: Blocked): never {
    const last = this.hops[this.hops.length - 1];
    if ((gateway === null || gateway === lastGateway) && last) {
      last.action = `dropped: ${blocked.short}`;
      throw new Drop(blocked.reason, blocked.explanation);
    }
    this.fail(externalGatewayHop(network, gateway ?? this.src, ''), blocked);
  }

  // --- the result -----------------------------------------------------------------------

  private result(verdict: Verdict, dropReason: DropReason | null, explanation: string): PathResult {
    const hops = this.shownHops(verdict);
    // To a project, another project's address is one more address outside its reach.
    const outside = this.target.kind === 'OUTSIDE' || (this.target.kind === 'PORT' && this.hidden(this.target.port.projectId));
    return {
      verdict,
      dropReason,
      explanation: this.viewer === null ? explanation : hideDevices(explanation, this.hops, this.owners, this.viewer),
      hops,
      hostIds: dedupe(hops.map((h) => h.hostId)),
      tunnelIds: dedupe(hops.map((h) => h.tunnelId)),
      routerIds: this.shownRouterIds(),
      reachedDestination: verdict === 'DELIVERED' || (verdict === 'EXITED' && outside),
      ...(verdict === 'DROPPED' && this.denial ? { firewallDenial: this.denial } : {}),
    };
  }

  /** The hops, or for a project each run of other projects' hops as one it may see. */
  private shownHops(verdict: Verdict): Hop[] {
    if (this.viewer === null) return this.hops;
    const ending = this.hidden(this.territory) ? VERDICT_INSIDE[verdict] : null;
    return hideOtherProjects(this.hops, this.owners, this.viewer, ending);
  }

  private shownRouterIds(): string[] {
    return this.routerIds.filter((id) => !this.hidden(this.index.routers.get(id)?.projectId ?? null));
  }

  /**
   * e.g. "test -> test2: same network net1, hosts compute-1 -> compute-2 over
   * VXLAN 0x39; egress allowed (…), …"; `exit` says where an EXITED packet left.
   */
  private summary(exit: string | null): string {
    const t = this.targetPort;
    const to = t && !this.hidden(t.port.projectId) ? t.name : this.target.kind === 'PORT' ? this.target.ip : this.target.name;
    const how: string[] = [];
    const routerIds = this.shownRouterIds();
    const hops = this.shownHops('DELIVERED');
    if (routerIds.length > 0) {
      how.push(`routed by ${routerIds.map((id) => this.index.routers.get(id)?.name || id).join(', ')}`);
    } else if (this.source.kind === 'PORT' && this.targetPort && this.source.port.networkId === this.targetPort.port.networkId) {
      how.push(`same network ${this.index.networks.get(this.source.port.networkId)?.name || this.source.port.networkId}`);
    }
    if (this.floatingIp) how.push(`via floating IP ${this.floatingIp}`);
    const hosts = dedupe(hops.map((h) => h.hostId)).map((id) => this.index.hosts.get(id)?.name || id);
    const carriers = dedupe(hops.map(carrierOf));
    how.push(`${hosts.length === 1 ? 'host' : 'hosts'} ${hosts.join(' -> ')}${carriers.length ? ` over ${carriers.join(', ')}` : ''}`);
    const parts = [how.join(', ')];
    if (this.retargeted) parts.push(this.retargeted);
    const nat = this.nat.filter((n) => !this.hidden(n.owner)).map((n) => n.text);
    if (nat.length) parts.push(nat.join(', '));
    if (this.checks.length) parts.push(this.checks.join(', '));
    if (this.answeredBy) parts.push(`answered by ${this.answeredBy}`);
    if (exit) parts.push(exit);
    if (this.checks.some((c) => c.includes('allowed'))) parts.push('replies are allowed back (security groups are stateful)');
    return `${this.source.name} -> ${to}: ${parts.join('; ')}.`;
  }
}

const routerDevice = (port: Port) => (port.deviceOwner === DEVICE_OWNER.routerGateway ? qgName(port.id) : qrName(port.id));

/** Whether the route leads to the target's own subnet (or on to another router by an extra route). */
function reaches(route: Route | null, t: PortEndpoint): boolean {
  if (!route) return false;
  if (route.kind === 'EXTRA') return true;
  return route.kind === 'CONNECTED' && route.via.subnet.id === t.subnet?.id;
}

/** What carries the packet between hosts, as the summary names it. */
function carrierOf(hop: Hop): string | null {
  if (hop.kind === 'OVERLAY' && hop.tunnelId !== null) return `${hop.device.split(' ')[0].toUpperCase()} ${hexId(hop.tunnelId)}`;
  if (hop.kind === 'PHYSICAL_NETWORK') return hop.vlan === null ? `${hop.device} (flat)` : `${hop.device} VLAN ${hop.vlan}`;
  return null;
}

/** Non-null values in order, consecutive duplicates removed. */
function dedupe<T>(values: (T | null)[]): T[] {
  const out: T[] = [];
  for (const v of values) if (v !== null && v !== out[out.length - 1]) out.push(v);
  return out;
}
