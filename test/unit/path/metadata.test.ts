// The metadata address 169.254.169.254: redirected to the L3 agent's proxy in
// qrouter, or answered by the DHCP agent's isolated-metadata proxy in qdhcp.
import { dhcpNamespace, qrName, routerNamespace, tapName } from '../../../src/domain/naming.js';
import { tracePath } from '../../../src/domain/path/index.js';
import { workedExample } from './fixtures.js';
import { PING, devices, hopOf, vmOut } from './helpers.js';

const METADATA = { ipAddress: '169.254.169.254' };
const HTTP = { protocol: 'TCP', destinationPort: 80 } as const;

describe('metadata through the router', () => {
  it('is redirected on the qr- port to the metadata proxy on port 9697 in qrouter', () => {
    const w = workedExample();
    const test = w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, METADATA, HTTP);
    expect(r.verdict).toBe('DELIVERED');
    const ns = routerNamespace(w.router1.id);
    expect(devices(r).slice(0, 5)).toEqual(vmOut('test', test.port));
    expect(devices(r).slice(-2)).toEqual([qrName(w.qr1.id), 'haproxy']);
    expect(hopOf(r, qrName(w.qr1.id))).toMatchObject({ namespace: ns, kind: 'ROUTER_INTERFACE', action: 'REDIRECT 169.254.169.254:80 to local port 9697' });
    expect(r.hops[r.hops.length - 1]).toMatchObject({
      hostId: w.network1.id, namespace: ns, kind: 'METADATA_PROXY',
      action: "the L3 agent's metadata proxy (haproxy) on port 9697 answers for router router1",
    });
    expect(r.explanation).toContain(`answered by the metadata proxy in ${ns}`);
  });

  it('ping to the metadata address is not redirected: it leaves by the default route', () => {
    const w = workedExample();
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, METADATA, PING);
    expect(r.verdict).toBe('EXITED');
    expect(r.hops.some((h) => h.kind === 'METADATA_PROXY')).toBe(false);
    expect(hopOf(r, routerNamespace(w.router1.id)).action).toBe('route default via 172.24.4.1');
  });
});

describe('isolated metadata (no router on the subnet)', () => {
  function isolated(enableIsolatedMetadata: boolean) {
    const w = workedExample();
    const dhcpHost = w.cloud.host('network-2', '10.0.0.22', { enableIsolatedMetadata });
    const lonely = w.cloud.network('lonely', 'VXLAN', 0x60);
    const subnet = w.cloud.subnet(lonely, 'lonely', '10.0.6.0/24', '10.0.6.1');
    const dhcp = w.cloud.dhcpPort(subnet, dhcpHost, '10.0.6.2');
    const vm = w.cloud.vm('alone', w.compute1, subnet, '10.0.6.5', [w.web]);
    return { ...w, dhcpHost, lonely, subnet, dhcp, vm };
  }

  it('goes to the DHCP port by the host route DHCP gave, and the qdhcp proxy answers', () => {
    const w = isolated(true);
    const r = tracePath(w.cloud.index(), { instanceId: 'alone' }, METADATA, HTTP);
    expect(r.verdict).toBe('DELIVERED');
    const ns = dhcpNamespace(w.lonely.id);
    expect(devices(r)).toEqual([
      ...vmOut('alone', w.vm.port), 'br-int', 'patch-tun', 'patch-int', 'br-tun', 'vxlan-0a000016', 'vxlan 0x60', 'vxlan-0a00000b',
      'br-tun', 'patch-int', 'patch-tun', 'br-int', tapName(w.dhcp.id), 'haproxy',
    ]);
    expect(hopOf(r, tapName(w.dhcp.id))).toMatchObject({
      hostId: w.dhcpHost.id, namespace: ns, kind: 'DHCP_INTERFACE', action: `in on 10.0.6.2; 169.254.169.254/32 is an address of ${ns}`,
    });
    expect(r.hops[r.hops.length - 1]).toMatchObject({ namespace: ns, kind: 'METADATA_PROXY' });
    expect(r.explanation).toContain(`answered by the DHCP agent's metadata proxy in ${ns} (isolated metadata)`);
  });

  it('without enable_isolated_metadata the VM has no route to it: the subnet gateway is nobody', () => {
    const w = isolated(false);
    const r = tracePath(w.cloud.index(), { instanceId: 'alone' }, METADATA, HTTP);
    expect(r.verdict).toBe('DROPPED');
    expect(r.dropReason).toBe('NO_ROUTER');
    expect(r.hops).toHaveLength(1);
  });

  it('a subnet a router serves does not use the DHCP proxy even when the agent enables it', () => {
    const w = workedExample();
    const dhcpHost = w.cloud.host('network-2', '10.0.0.22', { enableIsolatedMetadata: true });
    w.cloud.dhcpPort(w.subnet1, dhcpHost, '10.0.1.2');
    w.cloud.vm('test', w.compute1, w.subnet1, '10.0.1.5', [w.web]);
    const r = tracePath(w.cloud.index(), { instanceId: 'test' }, METADATA, HTTP);
    expect(r.hops[r.hops.length - 1]).toMatchObject({ namespace: routerNamespace(w.router1.id), kind: 'METADATA_PROXY' });
  });
});
