import { evaluateEgress, evaluateIngress, describeRule, type Flow } from '../../../src/domain/firewall/index.js';
import type { FloatingIp } from '../../../src/domain/model.js';
import { DEFAULT_SG, WEB_SG, defaultGroup, indexOf, rule, vmPort, webGroup } from './fixtures.js';

const tcp = (port: number | null): Flow => ({ protocol: 'TCP', destinationPort: port });
const udp = (port: number | null): Flow => ({ protocol: 'UDP', destinationPort: port });
const icmp: Flow = { protocol: 'ICMP', destinationPort: null };
const any: Flow = { protocol: 'ANY', destinationPort: null };

const PORT_LABEL = 'vm1-port (4874fb2a-1f3e-4c2a-9b1e-0123456789ab)';

const floatingIp: FloatingIp = {
  id: 'fip1', projectId: 'p1', floatingIpAddress: '172.24.4.10', floatingNetworkId: 'ext',
  portId: 'other', fixedIpAddress: '10.0.0.6', routerId: 'r1',
};

/** vm1 (10.0.0.5) and vm2 (10.0.0.6, pairs 10.0.0.50 and 192.168.5.0/24) are in the default group. */
const defaultCloud = () => indexOf({
  securityGroups: [defaultGroup()],
  floatingIps: [floatingIp],
  groupMembers: { [DEFAULT_SG]: ['10.0.0.5', '10.0.0.6', '10.0.0.50', '192.168.5.0/24', '2001:db8::6'] },
});

describe('default security group', () => {
  const index = defaultCloud();
  const port = vmPort();

  it('allows egress of any IPv4 traffic', () => {
    const d = evaluateEgress(index, port, tcp(443), '8.8.8.8');
    expect(d.allowed).toBe(true);
    expect(d.rule?.id).toBe('d1');
    expect(d.explanation).toBe('allowed by rule d1 of security group default: egress any to 0.0.0.0/0');
  });

  it('allows egress of any IPv6 traffic', () => {
    const d = evaluateEgress(index, port, udp(53), '2001:4860:4860::8888');
    expect(d).toMatchObject({ allowed: true, rule: { id: 'd2' } });
    expect(d.explanation).toBe('allowed by rule d2 of security group default: egress any to ::/0');
  });

  it('allows egress with protocol ANY through a rule for any protocol', () => {
    expect(evaluateEgress(index, port, any, '8.8.8.8').allowed).toBe(true);
  });

  it('allows ingress from another member fixed IP', () => {
    const d = evaluateIngress(index, port, tcp(22), '10.0.0.6');
    expect(d.allowed).toBe(true);
    expect(d.rule?.id).toBe('d3');
    expect(d.explanation).toBe('allowed by rule d3 of security group default: ingress any from IPv4 addresses of security group default');
  });

  it('allows ingress from a member IPv6 fixed IP through the IPv6 rule', () => {
    expect(evaluateIngress(index, port, icmp, '2001:db8::6').rule?.id).toBe('d4');
  });

  it('allows ingress from a member allowed address pair, address or CIDR', () => {
    expect(evaluateIngress(index, port, tcp(22), '10.0.0.50').allowed).toBe(true);
    expect(evaluateIngress(index, port, tcp(22), '192.168.5.77').allowed).toBe(true);
    expect(evaluateIngress(index, port, tcp(22), '192.168.6.1').allowed).toBe(false);
  });

  it('denies ingress from a non-member and names the port and its groups', () => {
    const d = evaluateIngress(index, port, tcp(22), '10.0.0.99');
    expect(d).toEqual({
      allowed: false,
      rule: null,
      explanation: `no ingress rule of security groups default (${DEFAULT_SG}) allows tcp/22 from 10.0.0.99 to port ${PORT_LABEL}`,
    });
  });

  it('never matches a floating IP against a remote group, and says why', () => {
    const d = evaluateIngress(index, port, tcp(22), '172.24.4.10');
    expect(d.allowed).toBe(false);
    expect(d.explanation).toBe(
      `no ingress rule of security groups default (${DEFAULT_SG}) allows tcp/22 from 172.24.4.10 to port ${PORT_LABEL}`
      + '; 172.24.4.10 is a floating IP, and remote groups match only fixed IPs and allowed address pairs',
    );
  });

  it('denies everything when the remote group has no members loaded', () => {
    const empty = indexOf({ securityGroups: [defaultGroup()] });
    expect(evaluateIngress(empty, port, tcp(22), '10.0.0.6').allowed).toBe(false);
  });
});

describe('port ranges', () => {
  const index = indexOf({
    securityGroups: [webGroup([
      rule({ id: 'w1', securityGroupId: WEB_SG, protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' }),
      rule({ id: 'w2', securityGroupId: WEB_SG, protocol: 'udp', portRangeMin: 1000, portRangeMax: 2000 }),
    ])],
  });
  const port = vmPort({ securityGroupIds: [WEB_SG] });

  it('matches a single-port range on its edge only', () => {
    const d = evaluateIngress(index, port, tcp(22), '198.51.100.7');
    expect(d).toMatchObject({ allowed: true, rule: { id: 'w1' } });
    expect(d.explanation).toBe('allowed by rule w1 of security group web: ingress tcp 22-22 from 0.0.0.0/0');
    expect(evaluateIngress(index, port, tcp(23), '198.51.100.7').allowed).toBe(false);
    expect(evaluateIngress(index, port, tcp(21), '198.51.100.7').allowed).toBe(false);
  });

  it('includes both ends of a range', () => {
    const at = (p: number) => evaluateIngress(index, port, udp(p), '198.51.100.7').allowed;
    expect([at(999), at(1000), at(1500), at(2000), at(2001)]).toEqual([false, true, true, true, false]);
  });

  it('does not let a port-limited rule allow a flow without destination port', () => {
    const d = evaluateIngress(index, port, tcp(null), '198.51.100.7');
    expect(d.allowed).toBe(false);
    expect(d.explanation).toBe(
      `no ingress rule of security groups web (${WEB_SG}) allows tcp from 198.51.100.7 to port ${PORT_LABEL}`
      + '; a flow without a destination port is only allowed by a rule without a port range',
    );
  });
});

describe('protocols', () => {
  const index = indexOf({
    securityGroups: [webGroup([
      rule({ id: 'w1', securityGroupId: WEB_SG, protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 }),
      rule({ id: 'w2', securityGroupId: WEB_SG, protocol: 'icmp', ethertype: 'IPV6' }),
      rule({ id: 'w3', securityGroupId: WEB_SG, protocol: '17', portRangeMin: 53, portRangeMax: 53 }),
    ])],
  });
  const port = vmPort({ securityGroupIds: [WEB_SG] });

  it('does not match another protocol on the same port', () => {
    expect(evaluateIngress(index, port, udp(22), '198.51.100.7').allowed).toBe(false);
    expect(evaluateIngress(index, port, icmp, '198.51.100.7').allowed).toBe(false);
  });

  it('never matches a flow with protocol ANY by a protocol rule, and says so', () => {
    const d = evaluateIngress(index, port, any, '198.51.100.7');
    expect(d.allowed).toBe(false);
    expect(d.explanation).toBe(
      `no ingress rule of security groups web (${WEB_SG}) allows any protocol from 198.51.100.7 to port ${PORT_LABEL}`
      + '; a flow with protocol ANY is only allowed by a rule for any protocol',
    );
  });

  it('matches a rule given by protocol number', () => {
    expect(evaluateIngress(index, port, udp(53), '198.51.100.7').rule?.id).toBe('w3');
  });

  it('takes icmp in an IPv6 rule as ICMPv6 and ignores the destination port', () => {
    expect(evaluateIngress(index, port, { protocol: 'ICMP', destinationPort: 9 }, '2001:db8::9').rule?.id).toBe('w2');
    expect(evaluateIngress(index, port, icmp, '198.51.100.7').allowed).toBe(false);
  });

  it('reads an ICMP flow as a ping against ICMP type/code rules', () => {
    const typed = (min: number, max: number | null) => indexOf({
      securityGroups: [webGroup([rule({ id: 'w9', securityGroupId: WEB_SG, protocol: 'icmp', portRangeMin: min, portRangeMax: max })])],
    });
    expect(evaluateIngress(typed(8, null), port, icmp, '198.51.100.7').allowed).toBe(true);
    expect(evaluateIngress(typed(8, 0), port, icmp, '198.51.100.7').allowed).toBe(true);
    expect(evaluateIngress(typed(0, null), port, icmp, '198.51.100.7').allowed).toBe(false);
  });
});

describe('remote IP prefixes', () => {
  const index = indexOf({
    securityGroups: [webGroup([
      rule({ id: 'w1', securityGroupId: WEB_SG, protocol: 'tcp', portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: '10.1.0.0/16' }),
      rule({ id: 'w2', securityGroupId: WEB_SG, ethertype: 'IPV6', protocol: 'tcp', portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: '2001:db8:1::/48' }),
    ])],
  });
  const port = vmPort({ securityGroupIds: [WEB_SG] });

  it('contains IPv4 addresses of the block only', () => {
    expect(evaluateIngress(index, port, tcp(443), '10.1.255.254').rule?.id).toBe('w1');
    expect(evaluateIngress(index, port, tcp(443), '10.2.0.1').allowed).toBe(false);
  });

  it('contains IPv6 addresses of the block in any spelling', () => {
    expect(evaluateIngress(index, port, tcp(443), '2001:0db8:0001::5').rule?.id).toBe('w2');
    expect(evaluateIngress(index, port, tcp(443), '2001:db8:2::5').allowed).toBe(false);
  });

  it('applies an egress prefix to the destination', () => {
    const egressOnly = indexOf({
      securityGroups: [{ ...webGroup(), rules: [rule({ id: 'w3', securityGroupId: WEB_SG, direction: 'EGRESS', protocol: 'tcp', remoteIpPrefix: '192.0.2.0/24' })] }],
    });
    expect(evaluateEgress(egressOnly, port, tcp(5432), '192.0.2.10').rule?.id).toBe('w3');
    expect(evaluateEgress(egressOnly, port, tcp(5432), '192.0.3.10').allowed).toBe(false);
    expect(evaluateEgress(egressOnly, port, tcp(5432), '2001:db8::1').allowed).toBe(false);
  });
});

describe('unfiltered ports', () => {
  const index = defaultCloud();

  it('allows everything on a port with port security disabled', () => {
    const d = evaluateIngress(index, vmPort({ portSecurityEnabled: false, securityGroupIds: [] }), tcp(22), '203.0.113.1');
    expect(d).toEqual({
      allowed: true, rule: null, explanation: `port security disabled on port ${PORT_LABEL}: its traffic is not filtered`,
    });
  });

  it('does not filter router and DHCP ports', () => {
    const dhcp = vmPort({ deviceOwner: 'network:dhcp', securityGroupIds: [] });
    const d = evaluateEgress(index, dhcp, udp(68), '10.0.0.5');
    expect(d.allowed).toBe(true);
    expect(d.rule).toBeNull();
    expect(d.explanation).toBe(`router and DHCP ports are not filtered: port ${PORT_LABEL} is network:dhcp`);
  });

  it('drops everything on a filtered port without groups', () => {
    const d = evaluateEgress(index, vmPort({ securityGroupIds: [] }), tcp(80), '8.8.8.8');
    expect(d.allowed).toBe(false);
    expect(d.explanation).toBe(`no egress rule allows tcp/80 from port ${PORT_LABEL} to 8.8.8.8: the port has no security groups`);
  });
});

describe('union of groups', () => {
  const index = indexOf({
    securityGroups: [defaultGroup(), webGroup([
      rule({ id: 'w1', securityGroupId: WEB_SG, protocol: 'tcp', portRangeMin: 80, portRangeMax: 80 }),
    ])],
    groupMembers: { [DEFAULT_SG]: ['10.0.0.5', '10.0.0.6'] },
  });

  it('allows what either group allows', () => {
    const port = vmPort({ securityGroupIds: [DEFAULT_SG, WEB_SG] });
    expect(evaluateIngress(index, port, tcp(80), '203.0.113.9').rule?.id).toBe('w1');
    expect(evaluateIngress(index, port, udp(5000), '10.0.0.6').rule?.id).toBe('d3');
    const d = evaluateIngress(index, port, udp(53), '203.0.113.9');
    expect(d.explanation).toBe(
      `no ingress rule of security groups default (${DEFAULT_SG}), web (${WEB_SG}) allows udp/53 from 203.0.113.9 to port ${PORT_LABEL}`,
    );
  });

  it('picks the first matching rule by group order, then rule id', () => {
    expect(evaluateIngress(index, vmPort({ securityGroupIds: [DEFAULT_SG, WEB_SG] }), tcp(80), '10.0.0.6').rule?.id).toBe('d3');
    expect(evaluateIngress(index, vmPort({ securityGroupIds: [WEB_SG, DEFAULT_SG] }), tcp(80), '10.0.0.6').rule?.id).toBe('w1');
    expect(evaluateEgress(index, vmPort({ securityGroupIds: [WEB_SG, DEFAULT_SG] }), tcp(80), '8.8.8.8').rule?.id).toBe('w0');
  });
});

describe('describeRule', () => {
  it('reads ICMP type/code, port ranges and remote groups', () => {
    expect(describeRule(rule({ id: 'r1', securityGroupId: WEB_SG, protocol: 'icmp', portRangeMin: 8, portRangeMax: 0 }), 'web'))
      .toBe('rule r1 of security group web: ingress icmp type 8 code 0 from 0.0.0.0/0');
    expect(describeRule(rule({ id: 'r2', securityGroupId: WEB_SG, direction: 'EGRESS', protocol: 'udp', portRangeMin: 1000, portRangeMax: 2000, remoteIpPrefix: '10.0.0.0/8' }), 'web'))
      .toBe('rule r2 of security group web: egress udp 1000-2000 to 10.0.0.0/8');
    expect(describeRule(rule({ id: 'r3', securityGroupId: WEB_SG, ethertype: 'IPV6', remoteGroupId: DEFAULT_SG }), 'web', 'default'))
      .toBe('rule r3 of security group web: ingress any from IPv6 addresses of security group default');
  });
});
