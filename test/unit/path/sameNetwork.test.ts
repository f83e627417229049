// One network: docs/neutron-model.md, "A worked example" (same host, two
// hosts over VXLAN 0x39), GRE, provider VLAN and flat networks, and the
// drops that happen on the VM ports and hosts.
import { qbrName, qvoName, tapName } from '../../../src/domain/naming.js';
import { tracePath } from '../../../src/domain/path/index.js';
import { Cloud, EGRESS_ANY, INGRESS_SSH, workedExample } from './fixtures.js';
import { PING, TCP_22, VM_IN_KINDS, VM_OUT_KINDS, devices, hopOf, kinds, vmIn, vmOut } from './helpers.js';

describe('same network, same host (worked example)', () => {
  const w = workedExample();
  const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
  const test2 = w.cloud.vm('test2', w.compute1, w.subnet1, '10.0.1.6', [w.web]);
  const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, TCP_22);

  it('stays on br-int, both qvo ports tagged with local VLAN 1', () => {
    expect(r.verdict).toBe('DELIVERED');
    expect(r.dropReason).toBeNull();
    expect(devices(r)).toEqual([...vmOut('test', test.port), 'br-int', ...vmIn(test2.port, 'test2')]);
    expect(kinds(r)).toEqual([...VM_OUT_KINDS, 'OVS_BRIDGE', ...VM_IN_KINDS]);
    expect(r.hops.map((h) => h.vlan)).toEqual([null, null, null, null, 1, 1, 1, null, null, null, null]);
    expect(r.hops.map((h) => h.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(r.hops.every((h) => h.hostId === w.compute1.id && h.namespace === null && h.tunnelId === null)).toBe(true);
    expect(r.hostIds).toEqual([w.compute1.id]);
    expect(r.tunnelIds).toEqual([]);
    expect(r.routerIds).toEqual([]);
  });

  it('gives the security group verdicts on the qbr bridges', () => {
    expect(hopOf(r, qbrName(test.port.id)).action).toMatch(/^security group egress: allowed by rule .* of security group web: egress any/);
    expect(hopOf(r, qbrName(test2.port.id)).action).toMatch(/^security group ingress: allowed by rule .* ingress tcp 22-22 from 0.0.0.0\/0$/);
    expect(hopOf(r, 'br-int').action).toBe(`switch on local VLAN 1 to ${qvoName(test2.port.id)}`);
    expect(r.explanation).toMatch(/^test -> test2: same network net1, host compute-1; egress allowed by .*; replies are allowed back \(security groups are stateful\)\.$/);
  });
});

describe('same network, two hosts over VXLAN (worked example)', () => {
  const w = workedExample();
  // compute-2 already serves another network on VLAN 1, so net1 gets VLAN 2 there.
  w.cloud.localVlan(w.compute2, w.net2);
  const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
  const test2 = w.cloud.vm('test2', w.compute2, w.subnet1, '10.0.1.6', [w.web]);
  const r = tracePath(w.cloud.index(), { instanceId: test.instance.id }, { portId: test2.port.id }, TCP_22);

  it('tags VLAN 1 on compute-1, crosses with tunnel 0x39 and tags VLAN 2 on compute-2', () => {
    expect(r.verdict).toBe('DELIVERED');
    expect(devices(r)).toEqual([
      ...vmOut('test', test.port), 'br-int', 'patch-tun', 'patch-int', 'br-tun', 'vxlan-0a00000c',
      'vxlan 0x39',
      'vxlan-0a00000b', 'br-tun', 'patch-int', 'patch-tun', 'br-int', ...vmIn(test2.port, 'test2'),
    ]);
    expect(kinds(r)).toEqual([
      ...VM_OUT_KINDS, 'OVS_BRIDGE', 'PATCH_PORT', 'PATCH_PORT', 'OVS_BRIDGE', 'TUNNEL_PORT',
      'OVERLAY',
      'TUNNEL_PORT', 'OVS_BRIDGE', 'PATCH_PORT', 'PATCH_PORT', 'OVS_BRIDGE', ...VM_IN_KINDS,
    ]);
    expect(r.hops.map((h) => h.vlan)).toEqual([
      null, null, null, null, 1, 1, 1, 1, null, null, null, null, null, 2, 2, 2, 2, null, null, null, null,
    ]);
    expect(r.hops.map((h) => h.tunnelId)).toEqual([
      null, null, null, null, null, null, null, null, 57, 57, 57, 57, 57, null, null, null, null, null, null, null, null,
    ]);
    const c1 = w.compute1.id;
    const c2 = w.compute2.id;
    expect(r.hops.map((h) => h.hostId)).toEqual([...Array(10).fill(c1), null, ...Array(10).fill(c2)]);
    expect(r.hostIds).toEqual([c1, c2]);
    expect(r.tunnelIds).toEqual([57]);
    expect(r.routerIds).toEqual([]);
  });

  it('describes the VLAN <-> tunnel swaps in br-tun', () => {
    expect(hopOf(r, qvoName(test.port.id)).action).toBe('tag local VLAN 1');
    expect(hopOf(r, 'br-tun', 1).action).toBe('strip VLAN 1, set tunnel 0x39');
    expect(hopOf(r, 'vxlan 0x39').action).toBe('VXLAN 10.0.0.11 -> 10.0.0.12');
    expect(hopOf(r, 'br-tun', 2).action).toBe('tunnel 0x39 -> local VLAN 2');
    expect(hopOf(r, 'br-int', 2).action).toBe(`switch on local VLAN 2 to ${qvoName(test2.port.id)}`);
    expect(r.explanation).toMatch(/^test -> test2: same network net1, hosts compute-1 -> compute-2 over VXLAN 0x39; egress allowed by /);
  });
});

describe('same network, two hosts, other encapsulations', () => {
  function twoVms(type: 'GRE' | 'GENEVE' | 'VLAN' | 'FLAT', segmentationId: number | null) {
    const cloud = new Cloud();
    const c1 = cloud.host('compute-1', '10.0.0.11');
    const c2 = cloud.host('compute-2', '10.0.0.12', { bridgeMappings: { physnet1: 'br-provider' } });
    const other = cloud.network('other', 'VXLAN', 70);
    cloud.localVlan(c2, other);
    cloud.localVlan(c2, cloud.network('other2', 'VXLAN', 71));
    const net = cloud.network('provider', type, segmentationId);
    const subnet = cloud.subnet(net, 's', '192.168.10.0/24', '192.168.10.1');
    const sg = cloud.securityGroup('sg', [EGRESS_ANY, INGRESS_SSH]);
    const a = cloud.vm('a', c1, subnet, '192.168.10.5', [sg]);
    const b = cloud.vm('b', c2, subnet, '192.168.10.6', [sg]);
    return { r: tracePath(cloud.index(), { instanceId: 'a' }, { instanceId: 'b' }, TCP_22), a, b, c1, c2 };
  }

  it('names GRE tunnel ports and the overlay after the type', () => {
    const { r, a, b } = twoVms('GRE', 0x1f4);
    expect(devices(r)).toEqual([
      ...vmOut('a', a.port), 'br-int', 'patch-tun', 'patch-int', 'br-tun', 'gre-0a00000c', 'gre 0x1f4',
      'gre-0a00000b', 'br-tun', 'patch-int', 'patch-tun', 'br-int', ...vmIn(b.port, 'b'),
    ]);
    expect(hopOf(r, 'gre 0x1f4').action).toBe('GRE 10.0.0.11 -> 10.0.0.12');
    expect(hopOf(r, 'br-tun', 2).action).toBe('tunnel 0x1f4 -> local VLAN 3');
    expect(r.tunnelIds).toEqual([500]);
  });

  it('crosses a VLAN provider network over the physnet bridges of each host', () => {
    const { r, a, b, c1, c2 } = twoVms('VLAN', 101);
    expect(devices(r)).toEqual([
      ...vmOut('a', a.port), 'br-int', 'int-br-ex', 'phy-br-ex', 'br-ex', 'physnet1',
      'br-provider', 'phy-br-provider', 'int-br-provider', 'br-int', ...vmIn(b.port, 'b'),
    ]);
    expect(kinds(r).slice(5, 14)).toEqual([
      'OVS_BRIDGE', 'PATCH_PORT', 'PATCH_PORT', 'OVS_BRIDGE', 'PHYSICAL_NETWORK', 'OVS_BRIDGE', 'PATCH_PORT', 'PATCH_PORT', 'OVS_BRIDGE',
    ]);
    expect(r.hops.map((h) => h.vlan).slice(4, 15)).toEqual([1, 1, 1, 1, 101, 101, 101, 101, 3, 3, 3]);
    expect(hopOf(r, 'br-ex').action).toBe('local VLAN 1 -> provider VLAN 101, out to physnet1');
    expect(hopOf(r, 'physnet1').hostId).toBeNull();
    expect(hopOf(r, 'int-br-provider').action).toBe('provider VLAN 101 -> local VLAN 3');
    expect(r.hostIds).toEqual([c1.id, c2.id]);
    expect(r.tunnelIds).toEqual([]);
    expect(r.explanation).toMatch(/^a -> b: same network provider, hosts compute-1 -> compute-2 over physnet1 VLAN 101; /);
  });

  it('strips the local VLAN on a flat network', () => {
    const { r } = twoVms('FLAT', null);
    expect(hopOf(r, 'br-ex').action).toBe('strip local VLAN 1 (flat), out to physnet1');
    expect(hopOf(r, 'physnet1').vlan).toBeNull();
    expect(hopOf(r, 'int-br-provider').action).toBe('untagged -> local VLAN 3');
  });
});

describe('drops on one network', () => {
  function setup() {
    const w = workedExample();
    const closed = w.cloud.securityGroup('closed', []);
    return { ...w, closed };
  }

  it('SECURITY_GROUP_EGRESS: drops at the source qbr', () => {
    const w = setup();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.closed]);
    w.cloud.vm('test2', w.compute1, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, TCP_22);
    expect(r.verdict).toBe('DROPPED');
    expect(r.dropReason).toBe('SECURITY_GROUP_EGRESS');
    expect(devices(r)).toEqual(['test', tapName(test.port.id), qbrName(test.port.id)]);
    expect(hopOf(r, qbrName(test.port.id)).action).toMatch(/^security group egress: dropped, no egress rule of security groups closed/);
    expect(r.explanation).toMatch(new RegExp(`^Security groups of port ${test.port.id} \\(test\\) deny egress TCP 22 to 10\\.0\\.1\\.6: no egress rule`));
  });

  it('SECURITY_GROUP_INGRESS: drops at the destination qbr, judged on the source address', () => {
    const w = setup();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const test2 = w.cloud.vm('test2', w.compute1, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, { protocol: 'TCP', destinationPort: 80 });
    expect(r.dropReason).toBe('SECURITY_GROUP_INGRESS');
    expect(devices(r)).toEqual([...vmOut('test', test.port), 'br-int', ...vmIn(test2.port, 'test2').slice(0, 3)]);
    expect(r.explanation).toMatch(/^Security groups of port .* \(test2\) deny ingress TCP 80 from 10\.0\.1\.5: no ingress rule of security groups web/);
  });

  it('port security disabled: qbr is still there and filters nothing', () => {
    const w = setup();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.closed], { portSecurityEnabled: false });
    const test2 = w.cloud.vm('test2', w.compute1, w.subnet1, '10.0.1.6', [w.closed], { portSecurityEnabled: false });
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, { protocol: 'UDP', destinationPort: 53 });
    expect(r.verdict).toBe('DELIVERED');
    expect(hopOf(r, qbrName(test.port.id)).action).toBe('port security disabled: no filtering');
    expect(hopOf(r, qbrName(test2.port.id)).action).toBe('port security disabled: no filtering');
    expect(r.explanation).toBe(
      'test -> test2: same network net1, host compute-1; egress of test not filtered (port security disabled), ingress of test2 not filtered (port security disabled).',
    );
  });

  it('HOST_DOWN: drops at the first hop on the down host', () => {
    const w = setup();
    w.compute2.up = false;
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('test2', w.compute2, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('HOST_DOWN');
    expect(devices(r).slice(-3)).toEqual(['vxlan-0a00000c', 'vxlan 0x39', 'vxlan-0a00000b']);
    expect(r.hops[r.hops.length - 1]).toMatchObject({ hostId: w.compute2.id, action: 'dropped: host compute-2 is down' });
    expect(r.hostIds).toEqual([w.compute1.id, w.compute2.id]);
    expect(r.explanation).toBe(`Host compute-2 (${w.compute2.id}) is down, so the packet is lost at vxlan-0a00000b.`);
  });

  it('HOST_DOWN: a source on a down host goes nowhere', () => {
    const w = setup();
    w.compute1.up = false;
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('test2', w.compute2, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('HOST_DOWN');
    expect(devices(r)).toEqual(['test']);
  });

  it('PORT_DOWN: a destination port that is not ACTIVE drops at its qvo', () => {
    const w = setup();
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const test2 = w.cloud.vm('test2', w.compute2, w.subnet1, '10.0.1.6', [w.web], { status: 'BUILD' });
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('PORT_DOWN');
    expect(devices(r).slice(-2)).toEqual(['br-int', qvoName(test2.port.id)]);
    expect(r.hops[r.hops.length - 1]).toMatchObject({ vlan: 1, action: 'dropped: port BUILD' });
    expect(r.explanation).toBe(`Port ${test2.port.id} of test2 is BUILD, not ACTIVE: the OVS agent has not wired it.`);
  });

  it('PORT_DOWN: a source port that is not ACTIVE drops at its VNIC', () => {
    const w = setup();
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web], { status: 'DOWN' });
    w.cloud.vm('test2', w.compute2, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('PORT_DOWN');
    expect(devices(r)).toEqual(['test']);
    expect(r.hops[0].action).toBe('dropped: port DOWN');
  });

  it('PORT_UNBOUND: an unbound destination leaves the packet on the source br-int', () => {
    const w = setup();
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const test2 = w.cloud.vm('test2', null, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('PORT_UNBOUND');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ device: 'br-int', hostId: w.compute1.id, vlan: 1, action: 'dropped: port not bound' });
    expect(r.explanation).toBe(`Port ${test2.port.id} of test2 is not bound to any host.`);
  });

  it('PORT_UNBOUND: an unbound source has no host at all', () => {
    const w = setup();
    w.cloud.vm('test', null, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('test2', w.compute1, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('PORT_UNBOUND');
    expect(r.hops).toEqual([{ seq: 1, hostId: null, namespace: null, device: 'test', kind: 'VNIC', vlan: null, tunnelId: null, action: 'dropped: port not bound' }]);
    expect(r.hostIds).toEqual([]);
  });

  it('PORT_DOWN: a network without a local VLAN on the host is not wired', () => {
    const w = setup();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('test2', w.compute1, w.subnet1, '10.0.1.6', [w.web]);
    w.cloud.topology.localVlans = w.cloud.topology.localVlans.filter((v) => v.hostId !== w.compute1.id);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('PORT_DOWN');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ device: qvoName(test.port.id), vlan: null, action: 'dropped: port not wired' });
    expect(r.explanation).toBe(
      `Port ${test.port.id} of test is not wired: network net1 (${w.net1.id}) has no local VLAN on host compute-1 (${w.compute1.id}), so the port sits on the dead VLAN 4095.`,
    );
  });

  it('NO_ROUTER: two subnets of one network, no router between them, and no DHCP to say the other is on-link', () => {
    const w = setup();
    const other = w.cloud.subnet(w.net1, 'subnet1b', '10.0.5.0/24', '10.0.5.1');
    other.enableDhcp = false;
    w.cloud.vm('test', w.compute1, other, '10.0.5.5', [w.web]);
    w.cloud.vm('test2', w.compute1, w.subnet1, '10.0.1.6', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test2' }, PING);
    expect(r.dropReason).toBe('NO_ROUTER');
    expect(devices(r)).toEqual(['test']);
    expect(r.hops[0].action).toBe('dropped: no router holds 10.0.5.1');
    expect(r.explanation).toBe(`No router has an interface on subnet subnet1b (${other.id}) (gateway 10.0.5.1), so test cannot reach 10.0.1.6 outside 10.0.5.0/24.`);
  });
});
