// The routes DHCP gives a VM (docs/neutron-model.md, "Paths: the VM's
// routes"): the network's other IPv4 subnets on-link, the subnet's host
// routes, a default host route where the subnet has no gateway.
import { qrName, routerNamespace } from '../../../src/domain/naming.js';
import { tracePath } from '../../../src/domain/path/index.js';
import { workedExample } from './fixtures.js';
import { PING, devices, hopOf, vmIn, vmOut } from './helpers.js';

const OUT_OVER_TUNNEL = ['br-int', 'patch-tun', 'patch-int', 'br-tun'];
const IN_OVER_TUNNEL = ['br-tun', 'patch-int', 'patch-tun', 'br-int'];

describe("the routes DHCP gives a VM", () => {
  it('reaches another subnet of its network on-link, without the router both subnets have', () => {
    const w = workedExample();
    const subnet1b = w.cloud.subnet(w.net1, 'subnet1b', '10.0.5.0/24', '10.0.5.1');
    w.cloud.addInterface(w.router1, subnet1b);
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const other = w.cloud.vm('other', w.compute2, subnet1b, '10.0.5.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'other' }, PING);
    expect(r.verdict).toBe('DELIVERED');
    expect(devices(r)).toEqual([...vmOut('test', test.port), ...OUT_OVER_TUNNEL, 'vxlan-0a00000c', 'vxlan 0x39', 'vxlan-0a00000b', ...IN_OVER_TUNNEL, ...vmIn(other.port, 'other')]);
    expect(r.routerIds).toEqual([]);
  });

  it("follows a host route to a second router instead of the subnet's gateway", () => {
    const w = workedExample();
    const far = w.cloud.network('far', 'VXLAN', 0x51);
    const farSubnet = w.cloud.subnet(far, 'far', '10.0.8.0/24', '10.0.8.1');
    const router2 = w.cloud.router('router2', w.network1);
    const qrOn1 = w.cloud.addInterface(router2, w.subnet1, '10.0.1.254');
    const qrFar = w.cloud.addInterface(router2, farSubnet);
    w.subnet1.hostRoutes = [{ destination: '10.0.8.0/24', nexthop: '10.0.1.254' }];
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const farVm = w.cloud.vm('far-vm', w.compute2, farSubnet, '10.0.8.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'far-vm' }, PING);
    expect(r.verdict).toBe('DELIVERED');
    expect(r.routerIds).toEqual([router2.id]);
    expect(hopOf(r, routerNamespace(router2.id)).action).toBe(`route 10.0.8.0/24 via ${qrName(qrFar.id)}`);
    expect(devices(r)).toContain(qrName(qrOn1.id));
    expect(devices(r).slice(-5)).toEqual(vmIn(farVm.port, 'far-vm'));
  });

  it('takes the default route from a 0.0.0.0/0 host route only where the subnet has no gateway', () => {
    const w = workedExample();
    const router2 = w.cloud.router('router2', w.network1);
    w.cloud.addInterface(router2, w.subnet1, '10.0.1.254');
    w.cloud.vm('test3', w.compute2, w.subnet2, '10.0.2.5', [w.web]);
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.subnet1.hostRoutes = [{ destination: '0.0.0.0/0', nexthop: '10.0.1.254' }];
    // The gateway 10.0.1.1 (router1) wins: router2 has no route to net2.
    const withGateway = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test3' }, PING);
    expect(withGateway.routerIds).toEqual([w.router1.id]);
    expect(withGateway.verdict).toBe('DELIVERED');
    w.subnet1.gatewayIp = null;
    const viaHostRoute = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'test3' }, PING);
    expect(viaHostRoute.routerIds).toEqual([router2.id]);
    // router2 routes only its own subnets and has no gateway.
    expect([viaHostRoute.verdict, viaHostRoute.dropReason]).toEqual(['DROPPED', 'NO_GATEWAY']);
  });

  it('teaches nothing on a subnet without DHCP: the default route only', () => {
    const w = workedExample();
    const far = w.cloud.network('far', 'VXLAN', 0x51);
    const farSubnet = w.cloud.subnet(far, 'far', '10.0.8.0/24', '10.0.8.1');
    const router2 = w.cloud.router('router2', w.network1);
    w.cloud.addInterface(router2, w.subnet1, '10.0.1.254');
    w.cloud.addInterface(router2, farSubnet);
    w.subnet1.hostRoutes = [{ destination: '10.0.8.0/24', nexthop: '10.0.1.254' }];
    w.subnet1.enableDhcp = false;
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    w.cloud.vm('far-vm', w.compute2, farSubnet, '10.0.8.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, { instanceId: 'far-vm' }, PING);
    expect(r.routerIds[0]).toBe(w.router1.id);
  });
});
