// The shape of a traced path: one packet, hop by hop, across hosts,
// bridges, tunnels and router namespaces (schema.graphql, types Path and Hop).
import type { Flow } from '../firewall/evaluate.js';
export type { Flow, FlowProtocol } from '../firewall/evaluate.js';

export type HopKind =
  | 'VNIC'
  | 'TAP'
  | 'LINUX_BRIDGE'
  | 'VETH'
  | 'OVS_BRIDGE'
  | 'PATCH_PORT'
  | 'TUNNEL_PORT'
  | 'OVERLAY'
  | 'NAMESPACE'
  | 'ROUTER_INTERFACE'
  | 'GATEWAY_INTERFACE'
  | 'EXTERNAL_GATEWAY'
  | 'PHYSICAL_NETWORK'
  | 'DHCP_INTERFACE'
  | 'METADATA_PROXY'
  /** For a project token: hops among another project's objects, which are not shown. */
  | 'ANOTHER_PROJECT';

export interface Hop {
  seq: number;
  /** null outside the cloud: overlay, physical network, external gateway. */
  hostId: string | null;
  /** qrouter-<id> or qdhcp-<network id> for their devices; null in the host's root namespace. */
  namespace: string | null;
  device: string;
  kind: HopKind;
  /** The VLAN tag the packet carries here: host-local on br-int's side, the provider VLAN past br-ex. */
  vlan: number | null;
  /** The segmentation id on br-tun, tunnel ports and the overlay. */
  tunnelId: number | null;
  action: string;
}

/** A hop before it gets its place in the path. */
export type HopDraft = Omit<Hop, 'seq'>;

/**
 * DELIVERED: the destination the model holds got the packet. EXITED: the
 * packet left what the model follows (through the external network's
 * gateway, onto a provider network's physical network, or to a VM that
 * routes it onwards); what happens after is outside the model.
 */
export type Verdict = 'DELIVERED' | 'EXITED' | 'DROPPED';

export type DropReason =
  | 'SECURITY_GROUP_EGRESS'
  | 'SECURITY_GROUP_INGRESS'
  | 'NO_ROUTE'
  | 'NO_ROUTER'
  | 'NO_L3_AGENT'
  | 'PORT_DOWN'
  | 'PORT_UNBOUND'
  | 'HOST_DOWN'
  | 'NO_FLOATING_IP'
  | 'NO_GATEWAY';

export interface PathResult {
  verdict: Verdict;
  dropReason: DropReason | null;
  explanation: string;
  /** In packet order; when dropped, up to and including the dropping hop. */
  hops: Hop[];
  /** Hosts entered, in order, consecutive duplicates removed. */
  hostIds: string[];
  /** Segmentation ids on the overlay, in order, consecutive duplicates removed. */
  tunnelIds: number[];
  /** Routers the packet went through, in order, consecutive duplicates removed. */
  routerIds: string[];
  /**
   * Whether the packet got where it was asked to go: delivered, or out of
   * the cloud towards an address outside it. A VM's address that the packet
   * left the cloud towards was not reached.
   */
  reachedDestination: boolean;
  /** Set when security groups dropped the packet at a port the viewer may see: what a rule would have to allow. */
  firewallDenial?: FirewallDenial;
}

/** A security group drop: the port, the direction, the remote address as the port saw it, and the groups involved. */
export interface FirewallDenial {
  portId: string;
  securityGroupIds: string[];
  direction: 'INGRESS' | 'EGRESS';
  remoteIp: string;
  flow: Flow;
  /** The groups of the same project's VM port that holds remoteIp; empty when none does. */
  peerSecurityGroupIds: string[];
}

/** instanceId also accepts an instance name when no instance has that id. */
export type EndpointRef = { instanceId: string } | { portId: string } | { ipAddress: string };

/** "name (id)", or the id alone for unnamed objects: how explanations name things. */
export const label = (o: { id: string; name: string }) => (o.name ? `${o.name} (${o.id})` : o.id);

/** The endpoint is unknown, ambiguous or cannot send or receive: a client error. */
export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}
