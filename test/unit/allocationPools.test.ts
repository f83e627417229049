// Allocation pools as Neutron's IPAM computes and checks them.
import { cidrOf } from '../../src/domain/addressing.js';
import { defaultPools, firstFreeInPools, poolProblem } from '../../src/domain/allocationPools.js';

it('splits the default pools around the gateway, IPv4 without network and broadcast, IPv6 without the anycast address', () => {
  expect(defaultPools(cidrOf('10.0.0.0/24'), '10.0.0.1')).toEqual([{ start: '10.0.0.2', end: '10.0.0.254' }]);
  expect(defaultPools(cidrOf('10.0.0.0/24'), '10.0.0.100')).toEqual([{ start: '10.0.0.1', end: '10.0.0.99' }, { start: '10.0.0.101', end: '10.0.0.254' }]);
  expect(defaultPools(cidrOf('10.0.0.0/31'), null)).toEqual([{ start: '10.0.0.0', end: '10.0.0.1' }]);
  expect(defaultPools(cidrOf('2001:db8::/126'), null)).toEqual([{ start: '2001:db8::1', end: '2001:db8::3' }]);
});

it('names the pool at fault: not valid, beyond the subnet, overlapping', () => {
  const cidr = cidrOf('10.0.0.0/24');
  expect(poolProblem([{ start: '10.0.0.9', end: '10.0.0.5' }], cidr)).toEqual({ index: 0, message: 'The allocation pool 10.0.0.9-10.0.0.5 is not valid.' });
  expect(poolProblem([{ start: '2001:db8::1', end: '2001:db8::5' }], cidr)?.index).toBe(0);
  expect(poolProblem([{ start: '10.0.0.0', end: '10.0.0.5' }], cidr)?.message).toMatch(/spans beyond the subnet cidr 10.0.0.0\/24/);
  expect(poolProblem([{ start: '10.0.0.2', end: '10.0.0.9' }, { start: '10.0.0.9', end: '10.0.0.20' }], cidr)?.index).toBe(1);
  expect(poolProblem([{ start: '10.0.0.2', end: '10.0.0.9' }, { start: '10.0.0.10', end: '10.0.0.20' }], cidr)).toBeNull();
});

it('allocates the lowest free address of the pools in their order', () => {
  const pools = [{ start: '10.0.0.50', end: '10.0.0.51' }, { start: '10.0.0.10', end: '10.0.0.10' }];
  expect(firstFreeInPools(pools, 4, ['10.0.0.50'])).toBe('10.0.0.51');
  expect(firstFreeInPools(pools, 4, ['10.0.0.50', '10.0.0.51'])).toBe('10.0.0.10');
  expect(firstFreeInPools(pools, 4, ['10.0.0.50', '10.0.0.51', '10.0.0.10'])).toBeNull();
});
