// When one security group rule covers another.
import { covers } from '../../../src/domain/analysis/audit.js';
import type { SecurityGroupRule } from '../../../src/domain/model.js';

let n = 0;
const rule = (extra: Partial<SecurityGroupRule>): SecurityGroupRule => ({
  id: `r${++n}`, securityGroupId: 'g', direction: 'INGRESS', ethertype: 'IPV4', protocol: 'tcp',
  portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId: null, ...extra,
});

describe('covers', () => {
  it('a wider range from a wider prefix covers a narrower one, not the other way', () => {
    const wide = rule({ portRangeMin: 8000, portRangeMax: 8100, remoteIpPrefix: '10.0.0.0/16' });
    const narrow = rule({ portRangeMin: 8080, portRangeMax: 8080, remoteIpPrefix: '10.0.3.0/24' });
    expect(covers(wide, narrow)).toBe(true);
    expect(covers(narrow, wide)).toBe(false);
  });

  it('no remote is 0.0.0.0/0, protocol 6 is tcp, any protocol covers all; a remote group covers only itself', () => {
    expect(covers(rule({ remoteIpPrefix: '0.0.0.0/0' }), rule({}))).toBe(true);
    expect(covers(rule({}), rule({ remoteIpPrefix: '0.0.0.0/0' }))).toBe(true);
    expect(covers(rule({ protocol: '6' }), rule({ portRangeMin: 22, portRangeMax: 22 }))).toBe(true);
    expect(covers(rule({ protocol: null }), rule({ protocol: 'udp' }))).toBe(true);
    expect(covers(rule({ remoteGroupId: 'a' }), rule({ remoteGroupId: 'b' }))).toBe(false);
    expect(covers(rule({}), rule({ remoteGroupId: 'b' }))).toBe(true);
  });

  it('never across direction or ethertype; ICMP by type and code', () => {
    expect(covers(rule({ direction: 'EGRESS' }), rule({}))).toBe(false);
    expect(covers(rule({ ethertype: 'IPV6' }), rule({}))).toBe(false);
    expect(covers(rule({ protocol: 'icmp', portRangeMin: 8 }), rule({ protocol: 'icmp', portRangeMin: 8, portRangeMax: 0 }))).toBe(true);
    expect(covers(rule({ protocol: 'icmp', portRangeMin: 8 }), rule({ protocol: 'icmp', portRangeMin: 0 }))).toBe(false);
  });
});
