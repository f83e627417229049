// The smallest rule that lets a dropped flow through.
import { suggestRules } from '../../../src/domain/analysis/suggestRules.js';
import type { FirewallDenial } from '../../../src/domain/path/index.js';

const denial = (extra: Partial<FirewallDenial>): FirewallDenial => ({
  portId: 'p', securityGroupIds: ['g1', 'g2'], direction: 'INGRESS', remoteIp: '10.0.0.5',
  flow: { protocol: 'TCP', destinationPort: 443 }, peerSecurityGroupIds: [], ...extra,
});

describe('suggestRules', () => {
  it('one port from one address, on the first group of the port', () => {
    expect(suggestRules(denial({}))).toEqual([{
      securityGroupId: 'g1', direction: 'INGRESS', ethertype: 'IPV4', protocol: 'tcp', portRangeMin: 443, portRangeMax: 443,
      remoteIpPrefix: '10.0.0.5/32', remoteGroupId: null,
    }]);
  });

  it('then the remote group of the port holding the address', () => {
    const [, byGroup] = suggestRules(denial({ peerSecurityGroupIds: ['peer'] }));
    expect(byGroup).toMatchObject({ remoteIpPrefix: null, remoteGroupId: 'peer' });
  });

  it('ICMP as the echo request type, IPv6 as /128 and ipv6-icmp, ANY as no protocol', () => {
    expect(suggestRules(denial({ remoteIp: 'fd00::5', direction: 'EGRESS', flow: { protocol: 'ICMP', destinationPort: null } }))[0]).toMatchObject({
      direction: 'EGRESS', ethertype: 'IPV6', protocol: 'ipv6-icmp', portRangeMin: 128, portRangeMax: null, remoteIpPrefix: 'fd00::5/128',
    });
    expect(suggestRules(denial({ flow: { protocol: 'ANY', destinationPort: null } }))[0]).toMatchObject({ protocol: null, portRangeMin: null, portRangeMax: null });
  });

  it('nothing for a port without groups', () => {
    expect(suggestRules(denial({ securityGroupIds: [] }))).toEqual([]);
  });
});
