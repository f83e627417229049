// A small cloud for the firewall tests: the default group, a web group and
// VM ports on one network.
import { emptyTopology, type Port, type SecurityGroup, type SecurityGroupRule, type Topology } from '../../../src/domain/model.js';
import { TopologyIndex } from '../../../src/domain/topologyIndex.js';

export const DEFAULT_SG = 'fc2d0b7b-3fbb-4b8a-a4e7-0d4f0a3c1e11';
export const WEB_SG = '0a9e6f3c-2222-4c44-8d55-1a2b3c4d5e6f';

export function rule(overrides: Partial<SecurityGroupRule> & Pick<SecurityGroupRule, 'id' | 'securityGroupId'>): SecurityGroupRule {
  return {
    direction: 'INGRESS', ethertype: 'IPV4', protocol: null, portRangeMin: null, portRangeMax: null,
    remoteIpPrefix: null, remoteGroupId: null, ...overrides,
  };
}

/** Neutron's default group: egress any (v4, v6); ingress from members of itself. */
export function defaultGroup(): SecurityGroup {
  return {
    id: DEFAULT_SG, name: 'default', projectId: 'p1',
    rules: [
      rule({ id: 'd1', securityGroupId: DEFAULT_SG, direction: 'EGRESS', ethertype: 'IPV4' }),
      rule({ id: 'd2', securityGroupId: DEFAULT_SG, direction: 'EGRESS', ethertype: 'IPV6' }),
      rule({ id: 'd3', securityGroupId: DEFAULT_SG, ethertype: 'IPV4', remoteGroupId: DEFAULT_SG }),
      rule({ id: 'd4', securityGroupId: DEFAULT_SG, ethertype: 'IPV6', remoteGroupId: DEFAULT_SG }),
    ],
  };
}

export function webGroup(rules: Omit<SecurityGroupRule, 'securityGroupId'>[] = []): SecurityGroup {
  return {
    id: WEB_SG, name: 'web', projectId: 'p1',
    rules: [
      rule({ id: 'w0', securityGroupId: WEB_SG, direction: 'EGRESS', ethertype: 'IPV4' }),
      ...rules.map((r) => ({ ...r, securityGroupId: WEB_SG })),
    ],
  };
}

export function vmPort(overrides: Partial<Port> = {}): Port {
  return {
    id: '4874fb2a-1f3e-4c2a-9b1e-0123456789ab', name: 'vm1-port', networkId: 'net1', projectId: 'p1',
    macAddress: 'fa:16:3e:aa:bb:cc', deviceOwner: 'compute:nova', deviceId: 'vm1', status: 'ACTIVE', hostId: 'h1',
    fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.5' }], securityGroupIds: [DEFAULT_SG], portSecurityEnabled: true, adminStateUp: true,
    allowedAddressPairs: [], instanceId: 'vm1', routerId: null, ...overrides,
  };
}

export function indexOf(parts: Partial<Topology>): TopologyIndex {
  return new TopologyIndex({ ...emptyTopology(), ...parts });
}
