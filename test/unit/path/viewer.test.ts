// A path as one project sees it: its own instances as sources, other
// projects' objects not at all (their hops as one), hosts by project-scoped
// ids, other projects' rules by verdict only; the packet's way unchanged.
import { EndpointError, asSeenBy, indexFor, projectHostId, tracePath } from '../../../src/domain/path/index.js';
import { EGRESS_ANY, INGRESS_SSH, workedExample } from './fixtures.js';
import { TCP_22, devices } from './helpers.js';
import { qrName } from '../../../src/domain/naming.js';

/** vm-a (p1) on compute-1 in net1; vm-b of p2 on compute-2 in net2, with p2's own group; router1 is p1's. */
function setup() {
  const w = workedExample();
  const mine = w.cloud.vm('vm-a', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
  const theirGroup = w.cloud.securityGroup('their-group', [EGRESS_ANY, INGRESS_SSH]);
  theirGroup.projectId = 'p2';
  const theirs = w.cloud.vm('vm-b', w.compute2, w.subnet2, '10.0.2.5', [theirGroup]);
  theirs.instance.projectId = 'p2';
  theirs.port.projectId = 'p2';
  w.net2.projectId = 'p2';
  return { ...w, mine, theirs, theirGroup };
}

describe('asSeenBy', () => {
  it("blanks other projects' names, keeps its own and the shared ones, and renames every host reference alike", () => {
    const w = setup();
    w.cloud.index();
    const seen = asSeenBy(w.cloud.topology, 'p1');
    const named = (xs: { id: string; name: string }[], id: string) => xs.find((x) => x.id === id)!.name;
    expect(named(seen.instances, w.mine.instance.id)).toBe('vm-a');
    expect(named(seen.instances, w.theirs.instance.id)).toBe('');
    expect(named(seen.securityGroups, w.theirGroup.id)).toBe('');
    expect(named(seen.networks, w.net2.id)).toBe('');
    expect(named(seen.subnets, w.subnet2.id)).toBe('');
    expect(named(seen.networks, w.publicNet.id)).toBe('public');
    expect(named(seen.routers, w.router1.id)).toBe('router1');
    const compute2 = projectHostId('p1', w.compute2.id);
    expect(seen.hosts.map((h) => [h.id, h.name])).toContainEqual([compute2, '']);
    expect(seen.ports.find((p) => p.id === w.theirs.port.id)!.hostId).toBe(compute2);
    expect(seen.localVlans.filter((v) => v.hostId === compute2).length).toBe(w.cloud.topology.localVlans.filter((v) => v.hostId === w.compute2.id).length);
    // Another project is shown other host ids; the input is left alone.
    expect(projectHostId('p2', w.compute2.id)).not.toBe(compute2);
    expect(w.cloud.topology.hosts.map((h) => h.name)).toContain('compute-2');
  });
});

describe('tracePath for a project', () => {
  it("takes the same way as for an admin, and shows the hops among another project's objects as one hop", () => {
    const w = setup();
    const admin = tracePath(w.cloud.index(), { instanceId: 'vm-a' }, { ipAddress: '10.0.2.5' }, TCP_22);
    const mine = tracePath(indexFor(w.cloud.topology, 'p1'), { instanceId: 'vm-a' }, { ipAddress: '10.0.2.5' }, TCP_22, 'p1');
    expect(admin.verdict).toBe('DELIVERED');
    expect(mine.verdict).toBe('DELIVERED');
    // Its own way up to the exit of its own router, as the admin sees it; then p2's network and VM as one hop.
    const exit = devices(admin).lastIndexOf(qrName(w.qr2.id));
    expect(devices(mine)).toEqual([...devices(admin).slice(0, exit + 1), 'another project']);
    expect(mine.hops.slice(0, -1).map((h) => [h.vlan, h.tunnelId])).toEqual(admin.hops.slice(0, exit + 1).map((h) => [h.vlan, h.tunnelId]));
    expect(mine.hops.at(-1)).toEqual({
      seq: exit + 2, hostId: null, namespace: null, device: 'another project', kind: 'ANOTHER_PROJECT', vlan: null, tunnelId: null,
      action: 'delivered inside another project',
    });
    // No tunnel id of p2's network (0x3a), no host of p2's VM.
    expect(admin.tunnelIds).toEqual([0x39, 0x3a]);
    expect(mine.tunnelIds).toEqual([0x39]);
    expect(mine.hostIds).toEqual([w.compute1.id, w.network1.id].map((id) => projectHostId('p1', id)));
    expect(JSON.stringify(mine)).not.toContain(w.theirs.port.id.slice(0, 11));
  });

  it("tells another project's rules by their verdict only, and its drops without naming anything", () => {
    const w = setup();
    const admin = tracePath(w.cloud.index(), { instanceId: 'vm-a' }, { ipAddress: '10.0.2.5' }, TCP_22);
    const mine = tracePath(indexFor(w.cloud.topology, 'p1'), { instanceId: 'vm-a' }, { ipAddress: '10.0.2.5' }, TCP_22, 'p1');
    expect(admin.explanation).toMatch(/their-group/);
    expect(mine.explanation).not.toMatch(/their-group|vm-b|compute-|net2|0x3a/);
    expect(mine.explanation).toMatch(/^vm-a -> 10\.0\.2\.5: routed by router1, /);
    expect(mine.explanation).toMatch(/ingress allowed by the security groups of another project/);
    // Its own rules are spelled out as for the admin.
    expect(mine.explanation).toMatch(/egress allowed by rule \S+ of security group web/);
    const http = { protocol: 'TCP', destinationPort: 80 } as const;
    const dropped = tracePath(indexFor(w.cloud.topology, 'p1'), { instanceId: 'vm-a' }, { ipAddress: '10.0.2.5' }, http, 'p1');
    expect(dropped.verdict).toBe('DROPPED');
    expect(dropped.explanation).toBe('The packet was dropped inside another project (SECURITY_GROUP_INGRESS).');
    expect(dropped.hops.at(-1)).toMatchObject({ kind: 'ANOTHER_PROJECT', action: 'dropped inside another project' });
  });

  it("answers alike for another project's used and unused address behind another router", () => {
    const w = setup();
    const net3 = w.cloud.network('net3', 'VXLAN', 0x3b, { projectId: 'p2' });
    const subnet3 = w.cloud.subnet(net3, 'subnet3', '10.0.3.0/24', '10.0.3.1');
    const router2 = w.cloud.router('router2', w.network1, { projectId: 'p2' });
    w.cloud.addInterface(router2, subnet3);
    w.cloud.setGateway(router2, w.publicSubnet, '172.24.4.11');
    const used = w.cloud.vm('vm-c', w.compute2, subnet3, '10.0.3.5', [w.theirGroup], { projectId: 'p2' });
    w.cloud.floatingIp('172.24.4.20', w.publicNet, used.port, router2);
    const ask = (ip: string) => tracePath(indexFor(w.cloud.topology, 'p1'), { instanceId: 'vm-a' }, { ipAddress: ip }, TCP_22, 'p1');
    const [a, b] = [ask('10.0.3.5'), ask('10.0.3.99')];
    expect(a.verdict).toBe('EXITED');
    expect(a.reachedDestination).toBe(true);
    expect({ ...a, explanation: a.explanation.replace('10.0.3.5', 'X').replace('10.0.3.5', 'X'), hops: JSON.stringify(a.hops).split('10.0.3.5').join('X') })
      .toEqual({ ...b, explanation: b.explanation.replace('10.0.3.99', 'X').replace('10.0.3.99', 'X'), hops: JSON.stringify(b.hops).split('10.0.3.99').join('X') });
  });

  it("starts only at its own instances; another project's reads as missing", () => {
    const w = setup();
    const as = (from: object) => () => tracePath(indexFor(w.cloud.topology, 'p1'), from as never, { ipAddress: '10.0.1.5' }, TCP_22, 'p1');
    expect(as({ instanceId: 'vm-b' })).toThrow(new EndpointError('instance vm-b does not exist'));
    expect(as({ instanceId: w.theirs.instance.id })).toThrow(new EndpointError(`instance ${w.theirs.instance.id} does not exist`));
    expect(as({ portId: w.theirs.port.id })).toThrow(new EndpointError(`port ${w.theirs.port.id} does not exist`));
    expect(as({ ipAddress: '10.0.2.5' })).toThrow(new EndpointError('a path of project p1 starts at one of its own instances; 10.0.2.5 is none of them'));
    expect(as({ ipAddress: '198.51.100.1' })).toThrow(new EndpointError('a path of project p1 starts at one of its own instances; 198.51.100.1 is none of them'));
    // p2 starts at its own, by name.
    expect(tracePath(indexFor(w.cloud.topology, 'p2'), { instanceId: 'vm-b' }, { ipAddress: '10.0.1.5' }, TCP_22, 'p2').hops[0].device).toBe('vm-b');
  });
});
