// What a security group drop was about, for suggesting the rule that would
// let the packet through: the port, the direction, the remote address the
// port saw and, when a VM port of the same project holds that address, its
// groups.
import { isVmPort, type Port } from '../model.js';
import type { TopologyIndex } from '../topologyIndex.js';
import type { Flow, FirewallDenial } from './types.js';

export function firewallDenial(index: TopologyIndex, port: Port, direction: 'egress' | 'ingress', remoteIp: string, flow: Flow): FirewallDenial {
  const peer = index.portsWithAddress(remoteIp).find((p) => p.id !== port.id && p.projectId === port.projectId && isVmPort(p));
  return {
    portId: port.id,
    securityGroupIds: [...new Set(port.securityGroupIds)],
    direction: direction === 'egress' ? 'EGRESS' : 'INGRESS',
    remoteIp,
    flow,
    peerSecurityGroupIds: peer ? [...new Set(peer.securityGroupIds)] : [],
  };
}
