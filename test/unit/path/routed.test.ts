// Across subnets through a legacy router (docs/neutron-model.md, "A worked example"
// and "Paths: routing in qrouter namespaces"),
// and the drops routing can cause.
import { qrName, routerNamespace } from '../../../src/domain/naming.js';
import { tracePath } from '../../../src/domain/path/index.js';
import { workedExample } from './fixtures.js';
import { PING, VM_IN_KINDS, VM_OUT_KINDS, devices, hopOf, kinds, vmIn, vmOut } from './helpers.js';

const OUT_OVER_TUNNEL = ['br-int', 'patch-tun', 'patch-int', 'br-tun'];
const IN_OVER_TUNNEL = ['br-tun', 'patch-int', 'patch-tun', 'br-int'];

describe('different networks via a qrouter on the network node (worked example)', () => {
  const w = workedExample();
  const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
  const test3 = w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
  const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test3' }, PING);
  const ns = routerNamespace(w.router1.id);

  it('goes over network 1 tunnel to the router, and over network 2 tunnel to the VM', () => {
    expect(r.verdict).toBe('DELIVERED');
    expect(devices(r)).toEqual([
      ...vmOut('test', test.port), ...OUT_OVER_TUNNEL, 'vxlan-0a000015', 'vxlan 0x39', 'vxlan-0a00000b', ...IN_OVER_TUNNEL,
      qrName(w.qr1.id), ns, qrName(w.qr2.id),
      ...OUT_OVER_TUNNEL, 'vxlan-0a00000c', 'vxlan 0x3a', 'vxlan-0a000015', ...IN_OVER_TUNNEL, ...vmIn(test3.port, 'test3'),
    ]);
    const overlayKinds = ['OVS_BRIDGE', 'PATCH_PORT', 'PATCH_PORT', 'OVS_BRIDGE', 'TUNNEL_PORT', 'OVERLAY', 'TUNNEL_PORT', 'OVS_BRIDGE', 'PATCH_PORT', 'PATCH_PORT', 'OVS_BRIDGE'];
    expect(kinds(r)).toEqual([
      ...VM_OUT_KINDS, ...overlayKinds, 'ROUTER_INTERFACE', 'NAMESPACE', 'ROUTER_INTERFACE', ...overlayKinds, ...VM_IN_KINDS,
    ]);
    expect(r.hostIds).toEqual([w.compute1.id, w.network1.id, w.compute2.id]);
    expect(r.tunnelIds).toEqual([57, 58]);
    expect(r.routerIds).toEqual([w.router1.id]);
  });

  it('uses each host local VLAN and routes in the qrouter namespace', () => {
    // network-1 wired net1, net2 and public in that order: VLANs 1, 2, 3.
    expect(hopOf(r, qrName(w.qr1.id))).toMatchObject({ hostId: w.network1.id, namespace: ns, vlan: 1, action: 'in on 10.0.1.1 (10.0.1.0/24)' });
    expect(hopOf(r, ns)).toMatchObject({ kind: 'NAMESPACE', namespace: ns, vlan: null, action: `route 10.0.2.0/24 via ${qrName(w.qr2.id)}` });
    expect(hopOf(r, qrName(w.qr2.id))).toMatchObject({ vlan: 2, action: 'out to 10.0.2.0/24, no NAT' });
    expect(hopOf(r, 'br-tun', 3).action).toBe('strip VLAN 2, set tunnel 0x3a');
    expect(hopOf(r, 'br-tun', 4).action).toBe('tunnel 0x3a -> local VLAN 1');
    expect(r.explanation).toMatch(/^test -> test3: routed by router1, hosts compute-1 -> network-1 -> compute-2 over VXLAN 0x39, VXLAN 0x3a; egress allowed/);
  });
});

describe('routing on a VM host', () => {
  it('stays on br-int when the router runs where both VMs are', () => {
    const w = workedExample();
    w.router1.hostId = w.compute1.id;
    w.cloud.topology.localVlans = w.cloud.topology.localVlans.filter((v) => v.hostId !== w.network1.id);
    w.cloud.localVlan(w.compute1, w.net1);
    w.cloud.localVlan(w.compute1, w.net2);
    w.cloud.localVlan(w.compute1, w.publicNet);
    for (const p of [w.qr1, w.qr2, w.qg1]) p.hostId = w.compute1.id;
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const test3 = w.cloud.vm('test3', w.compute1, w.subnet2, '10.0.2.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '10.0.2.5' }, PING);
    expect(devices(r)).toEqual([
      ...vmOut('test', test.port), 'br-int', qrName(w.qr1.id), routerNamespace(w.router1.id), qrName(w.qr2.id), 'br-int', ...vmIn(test3.port, 'test3'),
    ]);
    expect(r.hops.map((h) => h.vlan)).toEqual([null, null, null, null, 1, 1, 1, null, 2, 2, 2, null, null, null, null]);
    expect(r.hostIds).toEqual([w.compute1.id]);
    expect(r.tunnelIds).toEqual([]);
  });
});

describe('two subnets of the same network on one router', () => {
  it('without DHCP (a static default route only) is routed but stays on the same tunnel id', () => {
    const w = workedExample();
    w.subnet1.enableDhcp = false;
    const subnet1b = w.cloud.subnet(w.net1, 'subnet1b', '10.0.5.0/24', '10.0.5.1');
    const qr1b = w.cloud.addInterface(w.router1, subnet1b);
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const other = w.cloud.vm('other', w.compute2, subnet1b, '10.0.5.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'other' }, PING);
    expect(r.verdict).toBe('DELIVERED');
    expect(devices(r)).toEqual([
      ...vmOut('test', test.port), ...OUT_OVER_TUNNEL, 'vxlan-0a000015', 'vxlan 0x39', 'vxlan-0a00000b', ...IN_OVER_TUNNEL,
      qrName(w.qr1.id), routerNamespace(w.router1.id), qrName(qr1b.id),
      ...OUT_OVER_TUNNEL, 'vxlan-0a00000c', 'vxlan 0x39', 'vxlan-0a000015', ...IN_OVER_TUNNEL, ...vmIn(other.port, 'other'),
    ]);
    expect(hopOf(r, qrName(qr1b.id)).vlan).toBe(1);
    expect(hopOf(r, routerNamespace(w.router1.id)).action).toBe(`route 10.0.5.0/24 via ${qrName(qr1b.id)}`);
    expect(r.tunnelIds).toEqual([57]);
    expect(r.hops.filter((h) => h.kind === 'OVERLAY').map((h) => h.tunnelId)).toEqual([57, 57]);
  });
});

describe('extra routes', () => {
  it('follows a route via a next hop to a second router', () => {
    const w = workedExample();
    const transit = w.cloud.network('transit', 'VXLAN', 0x50);
    const transitSubnet = w.cloud.subnet(transit, 'transit', '10.0.9.0/24', '10.0.9.1');
    const far = w.cloud.network('far', 'VXLAN', 0x51);
    const farSubnet = w.cloud.subnet(far, 'far', '10.0.8.0/24', '10.0.8.1');
    const router2 = w.cloud.router('router2', w.network1);
    const qrTransit1 = w.cloud.addInterface(w.router1, transitSubnet);
    const qrTransit2 = w.cloud.addInterface(router2, transitSubnet, '10.0.9.2');
    const qrFar = w.cloud.addInterface(router2, farSubnet);
    w.router1.routes = [{ destination: '10.0.8.0/24', nexthop: '10.0.9.2' }];
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const farVm = w.cloud.vm('far-vm', w.compute2, farSubnet, '10.0.8.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'far-vm' }, PING);
    expect(r.verdict).toBe('DELIVERED');
    const ns1 = routerNamespace(w.router1.id);
    const ns2 = routerNamespace(router2.id);
    expect(devices(r).slice(16, 23)).toEqual([qrName(w.qr1.id), ns1, qrName(qrTransit1.id), 'br-int', qrName(qrTransit2.id), ns2, qrName(qrFar.id)]);
    expect(hopOf(r, ns1).action).toBe('route 10.0.8.0/24 via 10.0.9.2');
    expect(hopOf(r, ns2).action).toBe(`route 10.0.8.0/24 via ${qrName(qrFar.id)}`);
    expect(devices(r).slice(-5)).toEqual(vmIn(farVm.port, 'far-vm'));
    expect(r.routerIds).toEqual([w.router1.id, router2.id]);
    expect(r.tunnelIds).toEqual([57, 0x51]);
  });
  it('hands the packet to a VM that is the next hop (an appliance), which routes it on: EXITED there', () => {
    const w = workedExample();
    const vpn = w.cloud.vm('vpn', w.compute2, w.subnet2, '10.0.2.9', [w.web]);
    w.router1.routes = [{ destination: '192.168.50.0/24', nexthop: '10.0.2.9' }];
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '192.168.50.7' }, PING);
    expect(r.verdict).toBe('EXITED');
    const ns = routerNamespace(w.router1.id);
    expect(hopOf(r, ns).action).toBe('route 192.168.50.0/24 via 10.0.2.9');
    expect(hopOf(r, qrName(w.qr2.id)).action).toBe('out to 10.0.2.0/24, no NAT');
    expect(devices(r).slice(-5)).toEqual(vmIn(vpn.port, 'vpn'));
    expect(r.hops[r.hops.length - 1]).toMatchObject({ hostId: w.compute2.id, kind: 'VNIC', action: 'hand 10.0.1.5 -> 192.168.50.7 to vpn (next hop 10.0.2.9)' });
    expect(r.explanation).toMatch(/handed to vpn \(10\.0\.2\.9\), the next hop towards 192\.168\.50\.7, which routes it onwards; what that VM does with it is outside the model/);
  });

  it("the appliance's own security groups judge the packet on its way in", () => {
    const w = workedExample();
    const closed = w.cloud.securityGroup('closed', []);
    w.cloud.vm('vpn', w.compute2, w.subnet2, '10.0.2.9', [closed]);
    w.router1.routes = [{ destination: '192.168.50.0/24', nexthop: '10.0.2.9' }];
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '192.168.50.7' }, PING);
    expect(r.dropReason).toBe('SECURITY_GROUP_INGRESS');
  });
});

describe('routing drops', () => {
  it('EXITED: a subnet no router serves is behind nothing but the default route', () => {
    const w = workedExample();
    const lonely = w.cloud.network('lonely', 'VXLAN', 0x60);
    const lonelySubnet = w.cloud.subnet(lonely, 'lonely', '10.0.6.0/24', '10.0.6.1');
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('alone', w.compute2, lonelySubnet, '10.0.6.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'alone' }, PING);
    expect(r.verdict).toBe('EXITED');
    expect(r.dropReason).toBeNull();
    expect(hopOf(r, routerNamespace(w.router1.id)).action).toBe('route default via 172.24.4.1');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ kind: 'EXTERNAL_GATEWAY', device: '172.24.4.1', action: 'exit through gateway 172.24.4.1: 172.24.4.10 -> 10.0.6.5' });
    expect(r.explanation).toMatch(/left the modelled cloud through gateway 172\.24\.4\.1 of network public \(.*\), as 172\.24\.4\.10 -> 10\.0\.6\.5; what happens after is outside the model/);
    expect(r.explanation).toMatch(new RegExp(` 10\\.0\\.6\\.5 of alone is on subnet lonely \\(${lonelySubnet.id}\\), which no router serves\\.$`));
  });

  it('NO_L3_AGENT: the router is not scheduled', () => {
    const w = workedExample();
    w.router1.hostId = null;
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test3' }, PING);
    expect(r.dropReason).toBe('NO_L3_AGENT');
    expect(devices(r)).toEqual([...vmOut('test', test.port), 'br-int']);
    expect(r.hops[5]).toMatchObject({ hostId: w.compute1.id, vlan: 1, action: 'dropped: router router1 not scheduled' });
    expect(r.explanation).toBe(`Router router1 (${w.router1.id}) is not scheduled to any L3 agent, so no namespace routes 10.0.2.5.`);
    expect(r.routerIds).toEqual([]);
  });

  it('NO_L3_AGENT: the router host is down', () => {
    const w = workedExample();
    w.network1.up = false;
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test3' }, PING);
    expect(r.dropReason).toBe('NO_L3_AGENT');
    expect(r.hops[r.hops.length - 1].action).toBe('dropped: L3 agent host network-1 down');
    expect(r.explanation).toBe(
      `Router router1 (${w.router1.id}) is scheduled to host network-1 (${w.network1.id}), which is down, so its L3 agent cannot route 10.0.2.5.`,
    );
  });
});
