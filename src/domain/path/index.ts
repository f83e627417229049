// The path engine's public face, and the part of the cloud it reads.
export { tracePath, traceReply } from './trace.js';
export { EndpointError } from './types.js';
export { asSeenBy, indexFor, projectHostId } from './viewer.js';
export type { DropReason, EndpointRef, FirewallDenial, Flow, FlowProtocol, Hop, HopKind, PathResult, Verdict } from './types.js';

/**
 * What a path question reads from the snapshot, so that the store loads
 * just that. Anything missing is treated as absent: an unknown host, router
 * or floating IP makes the path drop (or the endpoint fail) with an
 * explanation, never a crash. "Endpoint ports" are the ports the two
 * endpoint references can stand for (all candidates, before one is picked).
 */
export const PATH_SNAPSHOT_NEEDS = [
  'instances whose id or name is an instance endpoint, and all ports with that instanceId',
  'the port of a portId endpoint',
  'for an ipAddress endpoint: every port (of any owner) with that fixed IP, and the floating IPs with that address with their associated port, which then counts as an endpoint port',
  'the instances of the endpoint ports and of the next-hop holders below (VNIC names)',
  'the floating IPs associated with the endpoint ports',
  'routers with a network:router_interface port on a subnet of the endpoint ports, and the routers of the floating IPs above',
  'every port holding a next hop of an extra route of a router in this list, and the routers of those ports (transitively)',
  'all ports of those routers (network:router_interface and network:router_gateway)',
  'the networks of the endpoint ports, of the router ports and of the floating IPs above, with all their subnets',
  'every port holding the gateway IP of one of those subnets (a Neutron router, else a physical gateway)',
  'when an ipAddress endpoint is the metadata address 169.254.169.254: the network:dhcp ports of the networks of the endpoint ports (isolated metadata)',
  'the hosts the endpoint ports, next-hop holders and those DHCP ports are bound to, and the hosts the routers above are scheduled to',
  'the local VLANs of each of those hosts for each of those networks',
  'the security groups (with rules) of the endpoint ports, the groups their rules name as remote group (for names), and groupMembers of each such remote group',
] as const;
