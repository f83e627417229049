import { isPublicAddress } from '../../src/domain/publicAddress.js';

describe('isPublicAddress', () => {
  it.each([
    ['93.184.215.14'],
    ['8.8.8.8'],
    ['100.63.255.255'],
    ['172.32.0.1'],
    ['2606:4700::1111'],
    ['[2a00:1450:4001::200e]'],
    ['::ffff:8.8.8.8'],
  ])('%s is public', (ip) => expect(isPublicAddress(ip)).toBe(true));

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.5', 'RFC 1918'],
    ['172.16.3.4', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['169.254.169.254', 'link-local: the metadata service'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'IPv6 loopback'],
    ['[::1]', 'IPv6 loopback as a URL writes it'],
    ['::', 'IPv6 unspecified'],
    ['fd00::1', 'unique local'],
    ['fc12:3456::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata service'],
    ['::a00:5', 'IPv4-compatible 10.0.0.5'],
    ['::7f00:1', 'IPv4-compatible 127.0.0.1'],
    ['2002:a00:5::1', '6to4, carrying 10.0.0.5'],
    ['64:ff9b::a00:5', 'NAT64, carrying 10.0.0.5'],
    ['localhost', 'a name, not an address'],
    ['', 'nothing'],
  ])('%s is not public (%s)', (ip) => expect(isPublicAddress(ip)).toBe(false));
});
