// The address checks every input goes through: what Neutron refuses is
// refused here too, before anything reaches the database.
import { isIpAddress, isMacAddress, parseCidr, parsePrefix } from '../../src/domain/addressing.js';

describe('isIpAddress', () => {
  it.each(['10.0.0.1', '::1', 'fe80::1', '2001:db8::5'])('takes %s', (ip) => expect(isIpAddress(ip)).toBe(true));
  it.each(['fe80::1%eth0', '::1%1', '10.0.0.1%x', '1.2.3', '1.2.3.4.5', '999.1.1.1', '0x0a.0.0.1', ''])('refuses %s', (ip) => expect(isIpAddress(ip)).toBe(false));
});

describe('parseCidr', () => {
  it('takes a canonical CIDR', () => expect(parseCidr('10.0.0.0/24')).toMatchObject({ cidr: { text: '10.0.0.0/24', prefix: 24, version: 4 } }));
  it.each(['10.0.0.0/24/24', '10.0.0.0//24', '/24', '10.0.0.0/', 'fe80::%eth0/64'])('refuses %s as not a CIDR', (text) => expect(parseCidr(text)).toEqual({ error: `'${text}' is not a CIDR` }));
});

describe('parsePrefix', () => {
  it('takes an address or a CIDR with host bits', () => {
    expect(parsePrefix('10.0.0.5')?.text).toBe('10.0.0.5/32');
    expect(parsePrefix('10.0.0.5/24')?.text).toBe('10.0.0.0/24');
  });
  it.each(['10.0.0.0/24/24', 'fe80::1%eth0', 'fe80::1%eth0/128'])('refuses %s', (text) => expect(parsePrefix(text)).toBeNull());
});

describe('isMacAddress', () => {
  it.each(['fa:16:3e:00:00:01', 'FA:16:3E:00:00:02'])('takes %s', (mac) => expect(isMacAddress(mac)).toBe(true));
  // neutron-lib refuses all zeros and the broadcast address; multicast MACs are no port's.
  it.each(['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', 'fa163e000003', 'fa-16-3e-00-00-01'])('refuses %s', (mac) => expect(isMacAddress(mac)).toBe(false));
});
