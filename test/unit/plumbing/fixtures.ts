// Small hand-built topologies for the plumbing tests.
import {
  DEVICE_OWNER,
  emptyTopology,
  type FloatingIp,
  type Host,
  type LocalVlan,
  type Network,
  type Port,
  type Router,
  type Subnet,
  type Topology,
} from '../../../src/domain/model.js';
import { TopologyIndex } from '../../../src/domain/topologyIndex.js';

export const HOST1 = 'a1a1a1a1-0000-4000-8000-000000000001';
export const HOST2 = 'a2a2a2a2-0000-4000-8000-000000000002';
export const HOST3 = 'a3a3a3a3-0000-4000-8000-000000000003';
export const NET1 = 'cccccccc-0000-4000-8000-000000000001';
export const NET2 = 'cccccccc-0000-4000-8000-000000000002';
export const EXT_NET = 'eeeeeeee-0000-4000-8000-000000000001';
export const SUBNET1 = '5b5b5b5b-0000-4000-8000-000000000001';
export const SUBNET2 = '5b5b5b5b-0000-4000-8000-000000000002';
export const EXT_SUBNET = '5e5e5e5e-0000-4000-8000-000000000001';
export const ROUTER1 = 'dddddddd-0000-4000-8000-000000000001';
/** A VM port whose qvo device is qvo4874fb2a-1f. */
export const VM_PORT = '4874fb2a-1f3e-4c2a-9b1e-0123456789ab';

export function host(id: string, name: string, tunnelIp: string, bridgeMappings: Record<string, string> = {}): Host {
  // The install guide's self-service setup: l2population and the ARP responder on.
  return { id, name, tunnelIp, roles: ['COMPUTE', 'NETWORK'], up: true, bridgeMappings, l2Population: true, arpResponder: true, enableIsolatedMetadata: false, firewallDriver: 'IPTABLES_HYBRID' };
}

export function network(id: string, overrides: Partial<Network> = {}): Network {
  return {
    id,
    name: `net-${id.slice(-1)}`,
    projectId: 'p1',
    networkType: 'VXLAN',
    segmentationId: 57,
    physicalNetwork: null,
    external: false,
    shared: false,
    mtu: 1450,
    ...overrides,
  };
}

export function subnet(id: string, networkId: string, cidr: string, gatewayIp: string | null, overrides: Partial<Subnet> = {}): Subnet {
  return { id, networkId, name: `subnet-${id.slice(-1)}`, cidr, gatewayIp, ipVersion: 4, enableDhcp: true, hostRoutes: [], ...overrides };
}

export function port(id: string, networkId: string, hostId: string | null, overrides: Partial<Port> = {}): Port {
  return {
    id,
    name: '',
    networkId,
    projectId: 'p1',
    macAddress: 'fa:16:3e:00:00:01',
    deviceOwner: 'compute:nova',
    deviceId: 'instance-1',
    status: hostId ? 'ACTIVE' : 'DOWN',
    hostId,
    fixedIps: [],
    securityGroupIds: [],
    portSecurityEnabled: true,
    adminStateUp: true,
    allowedAddressPairs: [],
    instanceId: null,
    routerId: null,
    ...overrides,
  };
}

export const routerPort = (id: string, networkId: string, hostId: string, routerId: string, owner: string, overrides: Partial<Port> = {}) =>
  port(id, networkId, hostId, { deviceOwner: owner, deviceId: routerId, routerId, portSecurityEnabled: false, ...overrides });

export const dhcpPort = (id: string, networkId: string, hostId: string, overrides: Partial<Port> = {}) =>
  port(id, networkId, hostId, { deviceOwner: DEVICE_OWNER.dhcp, deviceId: `dhcp-${networkId}`, portSecurityEnabled: false, ...overrides });

export function router(id: string, hostId: string | null, overrides: Partial<Router> = {}): Router {
  return { id, name: 'router1', projectId: 'p1', hostId, gatewayNetworkId: null, enableSnat: true, routes: [], ...overrides };
}

export function floatingIp(id: string, address: string, routerId: string | null, portId: string | null, fixed: string | null): FloatingIp {
  return { id, projectId: 'p1', floatingIpAddress: address, floatingNetworkId: EXT_NET, portId, fixedIpAddress: fixed, routerId };
}

export const vlan = (hostId: string, networkId: string, v: number): LocalVlan => ({ hostId, networkId, vlan: v });

export function indexOf(parts: Partial<Topology>): TopologyIndex {
  return new TopologyIndex({ ...emptyTopology(), ...parts });
}

/**
 * The worked example: network VNI 0x39 (57), local VLAN 1 on host 1
 * (tunnel IP 10.0.0.11) and VLAN 2 on host 2 (10.0.0.12), one VM on each.
 */
export function workedExample(extra: Partial<Topology> = {}): TopologyIndex {
  return indexOf({
    hosts: [host(HOST1, 'compute1', '10.0.0.11'), host(HOST2, 'compute2', '10.0.0.12')],
    networks: [network(NET1)],
    subnets: [subnet(SUBNET1, NET1, '10.1.0.0/24', '10.1.0.1')],
    ports: [
      port(VM_PORT, NET1, HOST1, { macAddress: 'fa:16:3e:11:11:11', fixedIps: [{ subnetId: SUBNET1, ipAddress: '10.1.0.5' }] }),
      port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2, {
        macAddress: 'fa:16:3e:22:22:22',
        fixedIps: [{ subnetId: SUBNET1, ipAddress: '10.1.0.6' }],
      }),
    ],
    localVlans: [vlan(HOST1, NET1, 1), vlan(HOST2, NET1, 2)],
    ...extra,
  });
}
