// North-south and floating IPs (docs/neutron-model.md, "A worked example" and
// "Paths: routing in qrouter namespaces"): SNAT out of qg-,
// DNAT in, the hairpin of the same router, another project's router on the
// same or another host, and the drops of the external side.
import { qgName, qrName, routerNamespace } from '../../../src/domain/naming.js';
import { tracePath } from '../../../src/domain/path/index.js';
import { EGRESS_ANY, workedExample } from './fixtures.js';
import { PING, TCP_22, devices, hopOf, kinds, vmIn, vmOut } from './helpers.js';

const OUT_OVER_TUNNEL = ['br-int', 'patch-tun', 'patch-int', 'br-tun'];
const IN_OVER_TUNNEL = ['br-tun', 'patch-int', 'patch-tun', 'br-int'];
const TO_NETWORK_NODE = [...OUT_OVER_TUNNEL, 'vxlan-0a000015', 'vxlan 0x39', 'vxlan-0a00000b', ...IN_OVER_TUNNEL];

/** router2 of another project on its own network node, its VM `other` 10.0.3.5 on compute-2. */
function withOtherProject(routerHost: 'network-1' | 'network-2') {
  const w = workedExample();
  const network2 = w.cloud.host('network-2', '10.0.0.22');
  const host = routerHost === 'network-1' ? w.network1 : network2;
  const net3 = w.cloud.network('net3', 'VXLAN', 0x3b, { projectId: 'p2' });
  const subnet3 = w.cloud.subnet(net3, 'subnet3', '10.0.3.0/24', '10.0.3.1');
  const router2 = w.cloud.router('router2', host, { projectId: 'p2' });
  const qr3 = w.cloud.addInterface(router2, subnet3);
  const qg2 = w.cloud.setGateway(router2, w.publicSubnet, '172.24.4.11');
  return { ...w, network2, net3, subnet3, router2, qr3, qg2 };
}

describe('to an address outside the cloud', () => {
  it('leaves by qg- with SNAT to the gateway IP and exits through the external gateway', () => {
    const w = workedExample();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '8.8.8.8' }, PING);
    expect(r.verdict).toBe('EXITED');
    expect(r.dropReason).toBeNull();
    expect(devices(r)).toEqual([
      ...vmOut('test', test.port), ...TO_NETWORK_NODE, qrName(w.qr1.id), routerNamespace(w.router1.id), qgName(w.qg1.id),
      'br-int', 'int-br-ex', 'phy-br-ex', 'br-ex', '172.24.4.1',
    ]);
    expect(kinds(r).slice(-8)).toEqual(['ROUTER_INTERFACE', 'NAMESPACE', 'GATEWAY_INTERFACE', 'OVS_BRIDGE', 'PATCH_PORT', 'PATCH_PORT', 'OVS_BRIDGE', 'EXTERNAL_GATEWAY']);
    expect(hopOf(r, routerNamespace(w.router1.id)).action).toBe('route default via 172.24.4.1');
    expect(hopOf(r, qgName(w.qg1.id))).toMatchObject({ vlan: 3, action: 'SNAT 10.0.1.5 -> 172.24.4.10' });
    expect(hopOf(r, 'br-ex')).toMatchObject({ vlan: null, action: 'strip local VLAN 3 (flat), out to physnet1' });
    expect(r.hops[r.hops.length - 1]).toMatchObject({
      hostId: null, kind: 'EXTERNAL_GATEWAY', device: '172.24.4.1', action: 'exit through gateway 172.24.4.1: 172.24.4.10 -> 8.8.8.8',
    });
    expect(r.hostIds).toEqual([w.compute1.id, w.network1.id]);
    expect(r.tunnelIds).toEqual([57]);
    expect(r.routerIds).toEqual([w.router1.id]);
    expect(r.explanation).toMatch(/^test -> 8\.8\.8\.8: routed by router1, hosts compute-1 -> network-1 over VXLAN 0x39; SNAT 10\.0\.1\.5 -> 172\.24\.4\.10; egress allowed/);
    expect(r.explanation).toMatch(/; left the modelled cloud through gateway 172\.24\.4\.1 of network public \(.*\), as 172\.24\.4\.10 -> 8\.8\.8\.8; what happens after is outside the model; /);
  });

  it('leaves as its floating IP when it has one (float-snat comes first)', () => {
    const w = workedExample();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.floatingIp('172.24.4.50', w.publicNet, test.port, w.router1);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '8.8.8.8' }, PING);
    expect(hopOf(r, qgName(w.qg1.id)).action).toBe('SNAT 10.0.1.5 -> 172.24.4.50');
  });

  it('keeps the source without SNAT when the router has SNAT disabled', () => {
    const w = workedExample();
    w.router1.enableSnat = false;
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '8.8.8.8' }, PING);
    expect(hopOf(r, qgName(w.qg1.id)).action).toBe(`no SNAT (disabled on router router1 (${w.router1.id})), source stays 10.0.1.5`);
  });

  it('NO_GATEWAY: the router has no external gateway', () => {
    const w = workedExample();
    w.cloud.topology.ports = w.cloud.topology.ports.filter((p) => p.id !== w.qg1.id);
    w.router1.gatewayNetworkId = null;
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '8.8.8.8' }, PING);
    expect(r.dropReason).toBe('NO_GATEWAY');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ device: routerNamespace(w.router1.id), action: 'dropped: no external gateway' });
    expect(r.explanation).toBe(`Router router1 (${w.router1.id}) has no external gateway, so it cannot reach 8.8.8.8.`);
  });

  it('NO_ROUTE: the external subnet has no gateway IP, so there is no default route', () => {
    const w = workedExample();
    w.publicSubnet.gatewayIp = null;
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '8.8.8.8' }, PING);
    expect(r.dropReason).toBe('NO_ROUTE');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ kind: 'NAMESPACE', action: 'dropped: no route to 8.8.8.8' });
    expect(r.explanation).toBe(`Router router1 (${w.router1.id}) has no route to 8.8.8.8.`);
  });
});

describe('floating IP of another project', () => {
  it('goes out of router1 qg-, over the physical network, in by router2 qg- with DNAT', () => {
    const w = withOtherProject('network-2');
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const other = w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, other.port, w.router2);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'other' }, TCP_22);
    expect(r.verdict).toBe('DELIVERED');
    const ns1 = routerNamespace(w.router1.id);
    const ns2 = routerNamespace(w.router2.id);
    expect(devices(r)).toEqual([
      ...vmOut('test', test.port), ...TO_NETWORK_NODE, qrName(w.qr1.id), ns1, qgName(w.qg1.id),
      'br-int', 'int-br-ex', 'phy-br-ex', 'br-ex', 'physnet1', 'br-ex', 'phy-br-ex', 'int-br-ex', 'br-int',
      qgName(w.qg2.id), ns2, qrName(w.qr3.id),
      ...OUT_OVER_TUNNEL, 'vxlan-0a00000c', 'vxlan 0x3b', 'vxlan-0a000016', ...IN_OVER_TUNNEL, ...vmIn(other.port, 'other'),
    ]);
    // The source must address the floating IP itself, and its egress rules judge that address.
    expect(r.hops[0].action).toBe('send TCP 22 10.0.1.5 -> 172.24.4.20');
    expect(hopOf(r, ns1).action).toBe('route 172.24.4.0/24 via ' + qgName(w.qg1.id));
    expect(hopOf(r, qgName(w.qg1.id)).action).toBe('SNAT 10.0.1.5 -> 172.24.4.10');
    expect(hopOf(r, 'physnet1')).toMatchObject({ hostId: null, kind: 'PHYSICAL_NETWORK', vlan: null });
    // network-2 wired net3 first (VLAN 1), then public (VLAN 2).
    expect(hopOf(r, 'int-br-ex', 2)).toMatchObject({ hostId: w.network2.id, vlan: 2, action: 'untagged -> local VLAN 2' });
    expect(hopOf(r, qgName(w.qg2.id))).toMatchObject({ kind: 'GATEWAY_INTERFACE', namespace: ns2, vlan: 2, action: 'DNAT 172.24.4.20 -> 10.0.3.5' });
    expect(hopOf(r, ns2).action).toBe(`route 10.0.3.0/24 via ${qrName(w.qr3.id)}`);
    expect(hopOf(r, qrName(w.qr3.id)).action).toBe('out to 10.0.3.0/24, no NAT');
    expect(r.hostIds).toEqual([w.compute1.id, w.network1.id, w.network2.id, w.compute2.id]);
    expect(r.tunnelIds).toEqual([57, 0x3b]);
    expect(r.routerIds).toEqual([w.router1.id, w.router2.id]);
    expect(r.explanation).toMatch(
      /^test -> other: routed by router1, router2, via floating IP 172\.24\.4\.20, hosts compute-1 -> network-1 -> network-2 -> compute-2 over VXLAN 0x39, physnet1 \(flat\), VXLAN 0x3b; other is addressed at its floating IP 172\.24\.4\.20: router router1 \(.*\) has no route to its fixed IP 10\.0\.3\.5 but its default route; SNAT 10\.0\.1\.5 -> 172\.24\.4\.10, DNAT 172\.24\.4\.20 -> 10\.0\.3\.5; /,
    );
  });

  it('is switched on br-int straight to router2 qg- when both routers share a host', () => {
    const w = withOtherProject('network-1');
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const other = w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, other.port, w.router2);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'other' }, TCP_22);
    expect(r.verdict).toBe('DELIVERED');
    const i = devices(r).indexOf(qgName(w.qg1.id));
    expect(devices(r).slice(i, i + 5)).toEqual([qgName(w.qg1.id), 'br-int', qgName(w.qg2.id), routerNamespace(w.router2.id), qrName(w.qr3.id)]);
    expect(r.hops[i + 1]).toMatchObject({ hostId: w.network1.id, vlan: 3, action: `switch on local VLAN 3 to ${qgName(w.qg2.id)}` });
    expect(r.hops.some((h) => h.kind === 'PHYSICAL_NETWORK' || h.kind === 'EXTERNAL_GATEWAY')).toBe(false);
  });

  it('ingress at the destination sees the translated source: router1 gateway IP', () => {
    const w = withOtherProject('network-2');
    const onlyTest = w.cloud.securityGroup('only-10.0.1.5', [EGRESS_ANY, { direction: 'INGRESS', remoteIpPrefix: '10.0.1.5/32' }]);
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const other = w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [onlyTest]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, other.port, w.router2);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'other' }, TCP_22);
    expect(r.dropReason).toBe('SECURITY_GROUP_INGRESS');
    expect(r.explanation).toMatch(/deny ingress TCP 22 from 172\.24\.4\.10: /);
  });

  it('ingress sees the source floating IP when the source has one', () => {
    const w = withOtherProject('network-2');
    const fromFip = w.cloud.securityGroup('from-fip', [EGRESS_ANY, { direction: 'INGRESS', remoteIpPrefix: '172.24.4.50/32' }]);
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const other = w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [fromFip]);
    w.cloud.floatingIp('172.24.4.50', w.publicNet, test.port, w.router1);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, other.port, w.router2);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '172.24.4.20' }, TCP_22);
    expect(r.verdict).toBe('DELIVERED');
    expect(hopOf(r, qgName(w.qg1.id)).action).toBe('SNAT 10.0.1.5 -> 172.24.4.50');
  });

  it('judges the source egress rules on the floating IP it has to address', () => {
    const w = withOtherProject('network-2');
    const privateOnly = w.cloud.securityGroup('private-only', [{ direction: 'EGRESS', remoteIpPrefix: '10.0.0.0/8' }]);
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [privateOnly]);
    const other = w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, other.port, w.router2);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'other' }, TCP_22);
    expect(r.dropReason).toBe('SECURITY_GROUP_EGRESS');
    expect(devices(r)).toEqual(vmOut('test', test.port).slice(0, 3));
    expect(r.explanation).toMatch(/deny egress TCP 22 to 172\.24\.4\.20: /);
  });

  it('a fixed IP behind another router is never retargeted: the packet exits by the default route, the hint names the floating IP', () => {
    const w = withOtherProject('network-1');
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const other = w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, other.port, w.router2);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '10.0.3.5' }, TCP_22);
    expect(r.verdict).toBe('EXITED');
    expect(r.hops[0].action).toBe('send TCP 22 10.0.1.5 -> 10.0.3.5');
    expect(hopOf(r, routerNamespace(w.router1.id)).action).toBe('route default via 172.24.4.1');
    expect(hopOf(r, qgName(w.qg1.id)).action).toBe('SNAT 10.0.1.5 -> 172.24.4.10');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ kind: 'EXTERNAL_GATEWAY', device: '172.24.4.1', action: 'exit through gateway 172.24.4.1: 172.24.4.10 -> 10.0.3.5' });
    expect(r.hops.some((h) => h.device === qgName(w.qg2.id))).toBe(false);
    expect(r.routerIds).toEqual([w.router1.id]);
    expect(r.explanation).toMatch(/ 10\.0\.3\.5 is a fixed IP of other; its floating IP 172\.24\.4\.20 would reach it\.$/);
  });

  it('a named VM behind another router without a floating IP: out by the default route, EXITED', () => {
    const w = withOtherProject('network-2');
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'other' }, TCP_22);
    expect(r.verdict).toBe('EXITED');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ kind: 'EXTERNAL_GATEWAY', device: '172.24.4.1', action: 'exit through gateway 172.24.4.1: 172.24.4.10 -> 10.0.3.5' });
    expect(r.explanation).toMatch(/ 10\.0\.3\.5 is a fixed IP of other, which has no floating IP\.$/);
  });

  it('a project does not learn the floating IP of another project in the hint', () => {
    const w = withOtherProject('network-1');
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web], { projectId: 'p1' });
    const other = w.cloud.vm('other', w.compute2, w.subnet3, '10.0.3.5', [w.web], { projectId: 'p2' });
    w.cloud.floatingIp('172.24.4.20', w.publicNet, other.port, w.router2);
    const admin = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '10.0.3.5' }, TCP_22);
    expect(admin.explanation).toContain('172.24.4.20');
    const scoped = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '10.0.3.5' }, TCP_22, 'p1');
    expect(scoped.verdict).toBe('EXITED');
    expect(scoped.explanation).not.toContain('172.24.4.20');
  });

  it('NO_FLOATING_IP: a floating IP that is not associated', () => {
    const w = withOtherProject('network-2');
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const fip = w.cloud.floatingIp('172.24.4.99', w.publicNet, null, null);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '172.24.4.99' }, PING);
    expect(r.dropReason).toBe('NO_FLOATING_IP');
    expect(r.hops[r.hops.length - 1]).toMatchObject({ device: 'br-int', hostId: w.network1.id, vlan: 3 });
    expect(r.explanation).toBe(`Floating IP 172.24.4.99 (${fip.id}) is not associated with a port, so nothing answers for it.`);
  });
});

describe('floating IP of the same router (hairpin)', () => {
  it('DNATs on the way in by qr- and SNATs to the gateway IP on the way out', () => {
    const w = workedExample();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const test3 = w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, test3.port, w.router1);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '172.24.4.20' }, PING);
    expect(r.verdict).toBe('DELIVERED');
    expect(devices(r).slice(0, 19)).toEqual([...vmOut('test', test.port), ...TO_NETWORK_NODE, qrName(w.qr1.id), routerNamespace(w.router1.id), qrName(w.qr2.id)]);
    expect(hopOf(r, 'test').action).toBe('send ICMP 10.0.1.5 -> 172.24.4.20');
    expect(hopOf(r, qrName(w.qr1.id)).action).toBe('DNAT 172.24.4.20 -> 10.0.2.5');
    expect(hopOf(r, routerNamespace(w.router1.id)).action).toBe(`route 10.0.2.0/24 via ${qrName(w.qr2.id)}`);
    expect(hopOf(r, qrName(w.qr2.id)).action).toBe('SNAT 10.0.1.5 -> 172.24.4.10');
    expect(devices(r).slice(-5)).toEqual(vmIn(test3.port, 'test3'));
    expect(r.routerIds).toEqual([w.router1.id]);
  });

  it('SNATs to the source floating IP when it has one', () => {
    const w = workedExample();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const test3 = w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    w.cloud.floatingIp('172.24.4.50', w.publicNet, test.port, w.router1);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, test3.port, w.router1);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { ipAddress: '172.24.4.20' }, PING);
    expect(hopOf(r, qrName(w.qr2.id)).action).toBe('SNAT 10.0.1.5 -> 172.24.4.50');
  });
});

describe('from outside the cloud', () => {
  it('comes in through the external gateway, br-ex and qg- (DNAT) to the VM', () => {
    const w = workedExample();
    const test3 = w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, test3.port, w.router1);
    const r = tracePath(w.cloud.index(), { ipAddress: '203.0.113.9' }, { ipAddress: '172.24.4.20' }, TCP_22);
    expect(r.verdict).toBe('DELIVERED');
    expect(devices(r)).toEqual([
      '172.24.4.1', 'br-ex', 'phy-br-ex', 'int-br-ex', 'br-int', qgName(w.qg1.id), routerNamespace(w.router1.id), qrName(w.qr2.id),
      ...OUT_OVER_TUNNEL, 'vxlan-0a00000c', 'vxlan 0x3a', 'vxlan-0a000015', ...IN_OVER_TUNNEL, ...vmIn(test3.port, 'test3'),
    ]);
    expect(r.hops[0]).toMatchObject({ hostId: null, kind: 'EXTERNAL_GATEWAY', action: 'from 203.0.113.9 to 172.24.4.20 on public' });
    expect(hopOf(r, 'int-br-ex')).toMatchObject({ vlan: 3, action: 'untagged -> local VLAN 3' });
    expect(hopOf(r, qgName(w.qg1.id)).action).toBe('DNAT 172.24.4.20 -> 10.0.2.5');
    expect(r.hostIds).toEqual([w.network1.id, w.compute2.id]);
    expect(r.tunnelIds).toEqual([58]);
    expect(r.explanation).toMatch(/^203\.0\.113\.9 -> test3: routed by router1, via floating IP 172\.24\.4\.20, hosts network-1 -> compute-2 over VXLAN 0x3a; DNAT 172\.24\.4\.20 -> 10\.0\.2\.5; ingress allowed by /);
  });

  it('reaches a VM asked for by name through its floating IP', () => {
    const w = workedExample();
    const test3 = w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, test3.port, w.router1);
    const r = tracePath(w.cloud.index(), { ipAddress: '203.0.113.9' }, { instanceId: 'test3' }, TCP_22);
    expect(r.verdict).toBe('DELIVERED');
    expect(devices(r)[0]).toBe('172.24.4.1');
  });

  it('NO_FLOATING_IP: a VM without a floating IP is not reachable from outside', () => {
    const w = workedExample();
    const test3 = w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    const r = tracePath(w.cloud.index(), { ipAddress: '203.0.113.9' }, { instanceId: 'test3' }, TCP_22);
    expect(r.dropReason).toBe('NO_FLOATING_IP');
    expect(r.hops).toEqual([
      { seq: 1, hostId: null, namespace: null, device: '203.0.113.9', kind: 'EXTERNAL_GATEWAY', vlan: null, tunnelId: null, action: 'dropped: 10.0.2.5 needs a floating IP' },
    ]);
    expect(r.explanation).toBe(`10.0.2.5 of test3 is a fixed IP, which is not reachable from outside the cloud, and port ${test3.port.id} of test3 has no floating IP.`);
  });

  it('NO_ROUTE: a fixed IP given as the address is not retargeted to its floating IP from outside either', () => {
    const w = workedExample();
    const test3 = w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    w.cloud.floatingIp('172.24.4.20', w.publicNet, test3.port, w.router1);
    const r = tracePath(w.cloud.index(), { ipAddress: '203.0.113.9' }, { ipAddress: '10.0.2.5' }, TCP_22);
    expect(r.dropReason).toBe('NO_ROUTE');
    expect(r.hops).toHaveLength(1);
    expect(r.explanation).toMatch(/its floating IP 172\.24\.4\.20 would reach it\.$/);
  });
});

describe('provider network with a physical gateway', () => {
  it('leaves a VLAN provider network by br-ex to its physical router', () => {
    const w = workedExample();
    const provider = w.cloud.network('provider', 'VLAN', 101, { shared: true });
    const providerSubnet = w.cloud.subnet(provider, 'provider', '203.0.113.0/24', '203.0.113.1');
    const vm = w.cloud.vm('pvm', w.compute1, providerSubnet, '203.0.113.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'pvm' }, { ipAddress: '8.8.8.8' }, PING);
    expect(r.verdict).toBe('EXITED');
    expect(devices(r)).toEqual([...vmOut('pvm', vm.port), 'br-int', 'int-br-ex', 'phy-br-ex', 'br-ex', '203.0.113.1']);
    expect(r.hops[r.hops.length - 1]).toMatchObject({ kind: 'EXTERNAL_GATEWAY', vlan: 101, hostId: null });
    expect(r.routerIds).toEqual([]);
  });
});
