// Local VLANs after an import: lowest free per host, networks in id order,
// the database's kept while still needed, exhaustion refused.
import { Issues } from '../../../src/domain/import/issues.js';
import type { PortRow } from '../../../src/domain/import/model.js';
import { planLocalVlans } from '../../../src/services/import/localVlans.js';

const net = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const bound = (hostId: string | null, networkId: string) => ({ hostId, networkId }) as PortRow;
const name = (id: string) => id;

describe('planLocalVlans', () => {
  it('numbers each host from 1 in network id order, one VLAN per network', () => {
    const ports = [bound('h1', net(3)), bound('h1', net(1)), bound('h1', net(3)), bound('h2', net(3)), bound(null, net(2))];
    const plan = planLocalVlans(ports, [], name, new Issues());
    expect(plan.allocated).toEqual([
      { hostId: 'h1', networkId: net(1), vlan: 1 },
      { hostId: 'h1', networkId: net(3), vlan: 2 },
      { hostId: 'h2', networkId: net(3), vlan: 1 },
    ]);
  });

  it('keeps the VLANs a host has, fills the lowest holes, releases the unused', () => {
    const current = [
      { hostId: 'h1', networkId: net(9), vlan: 2 },
      { hostId: 'h1', networkId: net(8), vlan: 5 },
    ];
    const ports = [bound('h1', net(9)), bound('h1', net(1)), bound('h1', net(2)), bound('h1', net(3))];
    const plan = planLocalVlans(ports, current, name, new Issues());
    expect(plan.kept).toBe(1);
    expect(plan.released).toEqual([{ hostId: 'h1', networkId: net(8), vlan: 5 }]);
    expect(plan.allocated.map((v) => [v.networkId, v.vlan])).toEqual([[net(1), 1], [net(2), 3], [net(3), 4]]);
    expect(plan.restartedHosts).toEqual(['h1']);
  });

  it('leaves the agent of a host whose VLANs stay as they are', () => {
    const current = [{ hostId: 'h1', networkId: net(1), vlan: 7 }];
    const plan = planLocalVlans([bound('h1', net(1)), bound('h2', net(1))], current, name, new Issues());
    expect(plan.kept).toBe(1);
    expect(plan.restartedHosts).toEqual(['h2']);
  });

  it('refuses a host that would need more than 4094 VLANs', () => {
    const issues = new Issues();
    const ports = Array.from({ length: 4095 }, (_, i) => bound('h1', net(i)));
    planLocalVlans(ports, [], () => 'compute7', issues);
    expect(issues.list).toEqual([{ code: 'EXHAUSTED', path: [], message: "host 'compute7' would need 4095 local VLANs; only 1..4094 exist" }]);
  });
});
