import { DEVICE_OWNER } from '../../../src/domain/model.js';
import { hostNamespaces, routerNatRules } from '../../../src/domain/plumbing/index.js';
import {
  dhcpPort,
  EXT_NET,
  EXT_SUBNET,
  floatingIp,
  HOST1,
  HOST2,
  host,
  indexOf,
  NET1,
  NET2,
  network,
  port,
  ROUTER1,
  router,
  routerPort,
  SUBNET1,
  SUBNET2,
  subnet,
  VM_PORT,
} from './fixtures.js';

const QR1 = '1a1a1a1a-aaaa-4000-8000-000000000001';
const QR2 = '2a2a2a2a-aaaa-4000-8000-000000000002';
const QG = '9e9e9e9e-eeee-4000-8000-000000000001';
const VM2 = 'b2b2b2b2-2222-4000-8000-000000000002';

function routerTopology(overrides: { enableSnat?: boolean } = {}) {
  return indexOf({
    hosts: [host(HOST1, 'network1', '10.0.0.11', { physnet1: 'br-ex' })],
    networks: [
      network(NET1),
      network(NET2, { segmentationId: 58 }),
      network(EXT_NET, { networkType: 'FLAT', segmentationId: null, physicalNetwork: 'physnet1', external: true }),
    ],
    subnets: [
      subnet(SUBNET1, NET1, '10.1.0.0/24', '10.1.0.1'),
      subnet(SUBNET2, NET2, '10.2.0.0/24', '10.2.0.1'),
      subnet(EXT_SUBNET, EXT_NET, '172.24.4.0/24', '172.24.4.1', { enableDhcp: false }),
    ],
    ports: [
      routerPort(QR1, NET1, HOST1, ROUTER1, DEVICE_OWNER.routerInterface, { fixedIps: [{ subnetId: SUBNET1, ipAddress: '10.1.0.1' }] }),
      routerPort(QR2, NET2, HOST1, ROUTER1, DEVICE_OWNER.routerInterface, { fixedIps: [{ subnetId: SUBNET2, ipAddress: '10.2.0.1' }] }),
      routerPort(QG, EXT_NET, HOST1, ROUTER1, DEVICE_OWNER.routerGateway, { fixedIps: [{ subnetId: EXT_SUBNET, ipAddress: '172.24.4.10' }] }),
      port(VM_PORT, NET1, HOST2, { fixedIps: [{ subnetId: SUBNET1, ipAddress: '10.1.0.5' }] }),
      port(VM2, NET2, HOST2, { fixedIps: [{ subnetId: SUBNET2, ipAddress: '10.2.0.7' }] }),
    ],
    routers: [
      router(ROUTER1, HOST1, {
        gatewayNetworkId: EXT_NET,
        enableSnat: overrides.enableSnat ?? true,
        routes: [
          { destination: '192.168.50.0/24', nexthop: '10.2.0.254' },
          { destination: '192.168.60.0/24', nexthop: '10.9.9.9' },
        ],
      }),
    ],
    floatingIps: [
      floatingIp('f2', '172.24.4.21', ROUTER1, VM2, '10.2.0.7'),
      floatingIp('f1', '172.24.4.20', ROUTER1, VM_PORT, '10.1.0.5'),
      floatingIp('f3', '172.24.4.22', null, null, null),
    ],
  });
}

describe('qrouter namespace', () => {
  const [ns] = hostNamespaces(routerTopology(), HOST1);

  it('is named after the full router id and holds qr- and qg- devices', () => {
    expect(ns.name).toBe(`qrouter-${ROUTER1}`);
    expect(ns.kind).toBe('QROUTER');
    expect(ns.routerId).toBe(ROUTER1);
    expect(ns.networkId).toBeNull();
    expect(ns.interfaces).toEqual([
      { name: 'qg-9e9e9e9e-ee', macAddress: 'fa:16:3e:00:00:01', addresses: ['172.24.4.10/24', '172.24.4.20/32', '172.24.4.21/32'] },
      { name: 'qr-1a1a1a1a-aa', macAddress: 'fa:16:3e:00:00:01', addresses: ['10.1.0.1/24'] },
      { name: 'qr-2a2a2a2a-aa', macAddress: 'fa:16:3e:00:00:01', addresses: ['10.2.0.1/24'] },
    ]);
  });

  it('routes: default via the external gateway, connected subnets, extra routes via the right qr', () => {
    expect(ns.routes).toEqual([
      { destination: '0.0.0.0/0', gateway: '172.24.4.1', device: 'qg-9e9e9e9e-ee' },
      { destination: '10.1.0.0/24', gateway: null, device: 'qr-1a1a1a1a-aa' },
      { destination: '10.2.0.0/24', gateway: null, device: 'qr-2a2a2a2a-aa' },
      { destination: '172.24.4.0/24', gateway: null, device: 'qg-9e9e9e9e-ee' },
      { destination: '192.168.50.0/24', gateway: '10.2.0.254', device: 'qr-2a2a2a2a-aa' },
    ]);
  });

  it('renders the nat table with floating IP DNAT/SNAT before the gateway SNAT', () => {
    const qg = 'qg-9e9e9e9e-ee';
    expect(ns.natRules).toEqual([
      '-P PREROUTING ACCEPT',
      '-P INPUT ACCEPT',
      '-P OUTPUT ACCEPT',
      '-P POSTROUTING ACCEPT',
      '-N neutron-l3-agent-OUTPUT',
      '-N neutron-l3-agent-POSTROUTING',
      '-N neutron-l3-agent-PREROUTING',
      '-N neutron-l3-agent-float-snat',
      '-N neutron-l3-agent-snat',
      '-N neutron-postrouting-bottom',
      '-A PREROUTING -j neutron-l3-agent-PREROUTING',
      '-A OUTPUT -j neutron-l3-agent-OUTPUT',
      '-A POSTROUTING -j neutron-l3-agent-POSTROUTING',
      '-A POSTROUTING -j neutron-postrouting-bottom',
      '-A neutron-l3-agent-OUTPUT -d 172.24.4.20/32 -j DNAT --to-destination 10.1.0.5',
      '-A neutron-l3-agent-OUTPUT -d 172.24.4.21/32 -j DNAT --to-destination 10.2.0.7',
      `-A neutron-l3-agent-POSTROUTING ! -o ${qg} -m conntrack ! --ctstate DNAT -j ACCEPT`,
      '-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 9697',
      '-A neutron-l3-agent-PREROUTING -d 172.24.4.20/32 -j DNAT --to-destination 10.1.0.5',
      '-A neutron-l3-agent-PREROUTING -d 172.24.4.21/32 -j DNAT --to-destination 10.2.0.7',
      '-A neutron-l3-agent-float-snat -s 10.1.0.5/32 -j SNAT --to-source 172.24.4.20 --random-fully',
      '-A neutron-l3-agent-float-snat -s 10.2.0.7/32 -j SNAT --to-source 172.24.4.21 --random-fully',
      '-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat',
      `-A neutron-l3-agent-snat -o ${qg} -j SNAT --to-source 172.24.4.10 --random-fully`,
      '-A neutron-l3-agent-snat -m mark ! --mark 0x2/0xffff -m conntrack --ctstate DNAT -j SNAT --to-source 172.24.4.10 --random-fully',
      '-A neutron-postrouting-bottom -m comment --comment "Perform source NAT on outgoing traffic." -j neutron-l3-agent-snat',
    ]);
    // The snat chain jumps to float-snat before its own SNAT to the gateway IP.
    const jump = ns.natRules.indexOf('-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat');
    const gatewaySnat = ns.natRules.findIndex((r) => r.startsWith(`-A neutron-l3-agent-snat -o ${qg}`));
    expect(jump).toBeGreaterThan(-1);
    expect(jump).toBeLessThan(gatewaySnat);
  });

  it('leaves out the gateway SNAT when SNAT is disabled, keeping floating IPs', () => {
    const [noSnat] = hostNamespaces(routerTopology({ enableSnat: false }), HOST1);
    expect(noSnat.natRules.some((r) => r.includes('-o qg-9e9e9e9e-ee -j SNAT'))).toBe(false);
    expect(noSnat.natRules).toContain('-A neutron-l3-agent-float-snat -s 10.1.0.5/32 -j SNAT --to-source 172.24.4.20 --random-fully');
  });

  it('does not exist for an empty router or on another host', () => {
    const index = indexOf({ hosts: [host(HOST1, 'n1', '10.0.0.11')], routers: [router(ROUTER1, HOST1)] });
    expect(hostNamespaces(index, HOST1)).toEqual([]);
    expect(hostNamespaces(routerTopology(), HOST2)).toEqual([]);
  });

  it('has only qr devices, connected routes and no NAT of its own without a gateway', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'n1', '10.0.0.11')],
      networks: [network(NET1)],
      subnets: [subnet(SUBNET1, NET1, '10.1.0.0/24', '10.1.0.1')],
      ports: [routerPort(QR1, NET1, HOST1, ROUTER1, DEVICE_OWNER.routerInterface, { fixedIps: [{ subnetId: SUBNET1, ipAddress: '10.1.0.1' }] })],
      routers: [router(ROUTER1, HOST1)],
      floatingIps: [floatingIp('f1', '172.24.4.20', ROUTER1, VM_PORT, '10.1.0.5')],
    });
    const [ns] = hostNamespaces(index, HOST1);
    expect(ns.interfaces).toEqual([{ name: 'qr-1a1a1a1a-aa', macAddress: 'fa:16:3e:00:00:01', addresses: ['10.1.0.1/24'] }]);
    expect(ns.routes).toEqual([{ destination: '10.1.0.0/24', gateway: null, device: 'qr-1a1a1a1a-aa' }]);
    expect(ns.natRules.filter((r) => /^-A .*(DNAT|SNAT|-j ACCEPT)/.test(r))).toEqual([]);
    expect(ns.natRules).toContain('-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat');
    expect(routerNatRules({ gateway: null, enableSnat: true, floatingIps: [] })).toEqual(ns.natRules);
  });
});

describe('qdhcp namespace', () => {
  it('holds the DHCP port tap device with its addresses and the subnet default route', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'n1', '10.0.0.11')],
      networks: [network(NET1)],
      subnets: [subnet(SUBNET1, NET1, '10.1.0.0/24', '10.1.0.1'), subnet(SUBNET2, NET1, '10.3.0.0/26', null)],
      ports: [
        dhcpPort('d0d0d0d0-dddd-4000-8000-000000000001', NET1, HOST1, {
          fixedIps: [
            { subnetId: SUBNET1, ipAddress: '10.1.0.2' },
            { subnetId: SUBNET2, ipAddress: '10.3.0.2' },
          ],
        }),
        dhcpPort('d9d9d9d9-dddd-4000-8000-000000000009', NET2, HOST2),
      ],
    });
    expect(hostNamespaces(index, HOST1)).toEqual([
      {
        name: `qdhcp-${NET1}`,
        kind: 'QDHCP',
        routerId: null,
        networkId: NET1,
        interfaces: [{ name: 'tapd0d0d0d0-dd', macAddress: 'fa:16:3e:00:00:01', addresses: ['10.1.0.2/24', '10.3.0.2/26'] }],
        routes: [
          { destination: '0.0.0.0/0', gateway: '10.1.0.1', device: 'tapd0d0d0d0-dd' },
          { destination: '10.1.0.0/24', gateway: null, device: 'tapd0d0d0d0-dd' },
          { destination: '10.3.0.0/26', gateway: null, device: 'tapd0d0d0d0-dd' },
        ],
        natRules: [],
      },
    ]);
  });
});
