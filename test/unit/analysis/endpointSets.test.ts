// The members each kind of endpoint set stands for.
import { internetAddress, membersOf, sameEndpoint, type CandidatePort } from '../../../src/domain/analysis/endpointSets.js';
import { EndpointError } from '../../../src/domain/path/index.js';

const port = (portId: string, projectId: string, instance: [string, string] | null, networkId: string, ips: [string, string][]): CandidatePort => ({
  portId, projectId, networkId, instanceId: instance?.[0] ?? null, instanceName: instance?.[1] ?? null,
  fixedIps: ips.map(([subnetId, ipAddress]) => ({ subnetId, ipAddress })),
});

const ports = [
  port('p1', 'a', ['i1', 'web'], 'n1', [['s1', '10.0.0.5'], ['s2', '10.1.0.5']]),
  port('p2', 'a', ['i2', 'db'], 'n1', [['s1', '10.0.0.6']]),
  port('p3', 'b', ['i3', 'web'], 'n2', [['s3', '10.0.0.5']]),
  port('p4', 'a', null, 'n1', [['s2', '10.1.0.9']]),
];
const labels = (ms: { label: string }[]) => ms.map((m) => m.label);

describe('membersOf', () => {
  it('instances by id or unique name; a duplicate name is refused for an admin but not for the project that has one', () => {
    expect(labels(membersOf({ kind: 'INSTANCES', instances: ['db', 'i3'] }, ports, '203.0.113.1', null))).toEqual(['db', 'web']);
    expect(() => membersOf({ kind: 'INSTANCES', instances: ['web'] }, ports, '203.0.113.1', null)).toThrow('several instances are named web');
    expect(membersOf({ kind: 'INSTANCES', instances: ['web'] }, ports, '203.0.113.1', 'a')[0].ref).toEqual({ instanceId: 'i1' });
    expect(() => membersOf({ kind: 'INSTANCES', instances: ['i3'] }, ports, '203.0.113.1', 'a')).toThrow(EndpointError);
  });

  it('a subnet and a CIDR name each port by the address they hold of it', () => {
    expect(labels(membersOf({ kind: 'SUBNET', subnetId: 's2' }, ports, '', null))).toEqual(['web (10.1.0.5)', 'p4 (10.1.0.9)']);
    expect(labels(membersOf({ kind: 'CIDR', cidr: '10.0.0.0/31' }, ports, '', 'a'))).toEqual([]);
    expect(labels(membersOf({ kind: 'CIDR', cidr: '10.0.0.4/30' }, ports, '', null))).toEqual(['web (10.0.0.5)', 'db (10.0.0.6)', 'web (10.0.0.5)']);
  });

  it('a project holds its instances by name, then its ports of no instance; another project is refused to a project token', () => {
    expect(labels(membersOf({ kind: 'PROJECT', projectId: 'a' }, ports, '', null))).toEqual(['db', 'web', 'p4 (10.1.0.9)']);
    expect(() => membersOf({ kind: 'PROJECT', projectId: 'b' }, ports, '', 'a')).toThrow('not project b');
  });

  it('the internet is the first documentation address no subnet holds', () => {
    expect(internetAddress([])).toBe('203.0.113.1');
    expect(internetAddress(['203.0.113.1'])).toBe('198.51.100.1');
    expect(() => internetAddress(['203.0.113.1', '198.51.100.1', '192.0.2.1'])).toThrow(EndpointError);
    const [internet] = membersOf({ kind: 'INTERNET' }, ports, '198.51.100.1', null);
    expect(internet).toMatchObject({ ref: { ipAddress: '198.51.100.1' }, label: 'INTERNET (198.51.100.1)' });
  });

  it('an instance and its own port are one endpoint', () => {
    const [web] = membersOf({ kind: 'INSTANCES', instances: ['i1'] }, ports, '', null);
    const onNetwork = membersOf({ kind: 'NETWORK', networkId: 'n1' }, ports, '', null);
    expect(onNetwork.map((m) => sameEndpoint(web, m))).toEqual([true, false, false]);
  });
});
