// IN_USE refusals name the caller's own holders and only count the rest.
import { describeHolders, portHolder } from '../../src/services/inUse.js';

const port = (id: string, projectId: string, deviceOwner = '') => portHolder({ id, projectId, deviceOwner });

describe('describeHolders', () => {
  const holders = [port('p1', 'a', 'compute:nova'), port('p2', 'b'), port('p3', 'a', 'network:router_interface'), port('p4', 'b')];

  it('names every holder for an admin', () => {
    expect(describeHolders({ project: null }, 'port', holders)).toBe(
      'port p1 (compute:nova), port p2 (no device owner), port p3 (network:router_interface) and port p4 (no device owner)',
    );
  });

  it("names a project's own holders and counts another project's", () => {
    expect(describeHolders({ project: 'a' }, 'port', holders)).toBe('port p1 (compute:nova), port p3 (network:router_interface) and 2 ports of other projects');
    expect(describeHolders({ project: 'b' }, 'port', holders.slice(0, 1))).toBe('1 port of other projects');
  });

  it('sums up beyond ten', () => {
    const many = Array.from({ length: 12 }, (_, i) => port(`p${i}`, 'a'));
    expect(describeHolders({ project: 'a' }, 'port', many)).toMatch(/^port p0 \(no device owner\), .*port p9 \(no device owner\) and 2 more ports$/);
  });
});
