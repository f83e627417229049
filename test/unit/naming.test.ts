import { tapName, tunnelPortName, qvoName, interfaceName, ingressChain } from '../../src/domain/naming.js';

describe('naming', () => {
  it('cuts port ids to 11 characters after a 3-character prefix', () => {
    expect(tapName('4874fb2a-1f3e-4c2a-9b1e-0123456789ab')).toBe('tap4874fb2a-1f');
    expect(qvoName('4874fb2a-1f3e-4c2a-9b1e-0123456789ab')).toBe('qvo4874fb2a-1f');
  });
  it('names tunnel ports after the remote IPv4 in hex', () => {
    expect(tunnelPortName('VXLAN', '10.0.0.2')).toBe('vxlan-0a000002');
    expect(tunnelPortName('GRE', '192.168.1.12')).toBe('gre-c0a8010c');
  });
  it('hashes IPv6 remotes into 15 characters', () => {
    const name = tunnelPortName('VXLAN', '2001:db8::2');
    expect(name).toMatch(/^vxlan-[a-z2-7]{9}$/);
    expect(tunnelPortName('GENEVE', '2001:db8::2')).toHaveLength(15);
  });
  it('shortens long interface names with a hash', () => {
    expect(interfaceName('br-ex', 'int-')).toBe('int-br-ex');
    expect(interfaceName('br-provider-long', 'int-')).toHaveLength(15);
  });
  it('names iptables chains with 10 characters of the port id', () => {
    expect(ingressChain('4874fb2a-1f3e-4c2a')).toBe('neutron-openvswi-i4874fb2a-1');
  });
});
