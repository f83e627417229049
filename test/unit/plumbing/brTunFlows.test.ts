import { DEVICE_OWNER } from '../../../src/domain/model.js';
import { arpResponderActions, bridgeCookie, hostFlows, renderDumpFlows } from '../../../src/domain/plumbing/index.js';
import {
  HOST1,
  HOST2,
  HOST3,
  host,
  indexOf,
  NET1,
  NET2,
  network,
  port,
  ROUTER1,
  routerPort,
  SUBNET1,
  subnet,
  VM_PORT,
  vlan,
  workedExample,
} from './fixtures.js';

/** The dump's lines without their cookie (tested in dumpFlows.test.ts). */
const dump = (index: ReturnType<typeof indexOf>, hostId: string) =>
  renderDumpFlows(hostFlows(index, hostId, 'br-tun')).split('\n').map((l) => l.replace(/^ cookie=0x[0-9a-f]+,/, ''));

describe('br-tun flows', () => {
  it('reproduces the two-host worked example (VNI 0x39, VLAN 1 and 2) on both hosts', () => {
    const index = workedExample();
    expect(dump(index, HOST1)).toContain(
      ' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
    );
    expect(dump(index, HOST2)).toContain(' table=4, priority=1,tun_id=0x39 actions=mod_vlan_vid:2,resubmit(,10)');
    expect(dump(index, HOST2)).toContain(
      ' table=22, priority=1,dl_vlan=2 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000b"',
    );
  });

  it('prints the whole table set of a host in ovs-ofctl order, each flow and the learn action with the bridge cookie', () => {
    const c = bridgeCookie(HOST1, 'br-tun');
    const learn =
      `learn(table=20,hard_timeout=300,priority=1,cookie=${c},NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],` +
      'load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:"patch-int"';
    expect(renderDumpFlows(hostFlows(workedExample(), HOST1, 'br-tun'))).toBe(
      [
        ' table=0, priority=1,in_port="patch-int" actions=resubmit(,2)',
        ' table=0, priority=1,in_port="vxlan-0a00000c" actions=resubmit(,4)',
        ' table=0, priority=0 actions=drop',
        ' table=2, priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,21)',
        ' table=2, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)',
        ' table=2, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)',
        ' table=3, priority=0 actions=drop',
        ' table=4, priority=1,tun_id=0x39 actions=mod_vlan_vid:1,resubmit(,10)',
        ' table=4, priority=0 actions=drop',
        ' table=6, priority=0 actions=drop',
        ` table=10, priority=2,arp,arp_tha=ff:ff:ff:ff:ff:ff actions=${learn}`,
        ` table=10, priority=2,icmp6,icmp_type=134 actions=${learn}`,
        ` table=10, priority=2,icmp6,icmp_type=136 actions=${learn}`,
        ` table=10, priority=1 actions=${learn}`,
        ' table=20, priority=2,dl_vlan=1,dl_dst=fa:16:3e:22:22:22 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
        ' table=20, priority=0 actions=resubmit(,22)',
        ' table=21, priority=1,arp,dl_vlan=1,arp_tpa=10.1.0.6 actions=load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0xfa163e222222->NXM_NX_ARP_SHA[],load:0xa010006->NXM_OF_ARP_SPA[],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:fa:16:3e:22:22:22,IN_PORT',
        ' table=21, priority=0 actions=resubmit(,22)',
        ' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
        ' table=22, priority=0 actions=drop',
      ]
        .map((line) => (line ? ` cookie=${c},${line}` : line))
        .concat('')
        .join('\n'),
    );
  });

  it('adds one table-20 entry per remote port MAC, including router ports, with the remote host tunnel', () => {
    const index = workedExample({
      hosts: [host(HOST1, 'c1', '10.0.0.11'), host(HOST2, 'c2', '10.0.0.12'), host(HOST3, 'n1', '10.0.0.13')],
      ports: [
        port(VM_PORT, NET1, HOST1, { macAddress: 'fa:16:3e:11:11:11' }),
        port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2, { macAddress: 'fa:16:3e:22:22:22' }),
        port('b2b2b2b2-2222-4000-8000-000000000003', NET1, HOST2, { macAddress: 'fa:16:3e:22:22:23' }),
        routerPort('1a1a1a1a-aaaa-4000-8000-000000000001', NET1, HOST3, ROUTER1, DEVICE_OWNER.routerInterface, {
          macAddress: 'fa:16:3e:33:33:33',
        }),
        port('f1f1f1f1-ffff-4000-8000-000000000001', NET1, null, { macAddress: 'fa:16:3e:44:44:44' }),
      ],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST2, NET1, 2), vlan(HOST3, NET1, 7)],
    });
    const table20 = hostFlows(index, HOST1, 'br-tun').filter((f) => f.table === 20);
    expect(table20.map((f) => `${f.priority} ${f.match} ${f.actions}`)).toEqual([
      '2 dl_vlan=1,dl_dst=fa:16:3e:22:22:22 strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
      '2 dl_vlan=1,dl_dst=fa:16:3e:22:22:23 strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
      '2 dl_vlan=1,dl_dst=fa:16:3e:33:33:33 strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000d"',
      '0  resubmit(,22)',
    ]);
    const flood = hostFlows(index, HOST1, 'br-tun').find((f) => f.table === 22 && f.priority === 1);
    expect(flood?.actions).toBe('strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c",output:"vxlan-0a00000d"');
  });

  it('keeps the flood table empty for a network with no remote host', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11')],
      networks: [network(NET1, { segmentationId: 1001 })],
      ports: [port(VM_PORT, NET1, HOST1)],
      localVlans: [vlan(HOST1, NET1, 3)],
    });
    const lines = dump(index, HOST1);
    expect(lines).toContain(' table=4, priority=1,tun_id=0x3e9 actions=mod_vlan_vid:3,resubmit(,10)');
    expect(lines.filter((l) => l.startsWith(' table=22,'))).toEqual([' table=22, priority=0 actions=drop']);
    expect(lines.filter((l) => l.startsWith(' table=0,'))).toEqual([
      ' table=0, priority=1,in_port="patch-int" actions=resubmit(,2)',
      ' table=0, priority=0 actions=drop',
    ]);
  });

  it('uses table 3 and gre- ports for GRE networks and ignores provider networks', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11', { physnet1: 'br-ex' }), host(HOST2, 'c2', '10.0.0.12', { physnet1: 'br-ex' })],
      networks: [
        network(NET1, { networkType: 'GRE', segmentationId: 300 }),
        network(NET2, { networkType: 'VLAN', segmentationId: 101, physicalNetwork: 'physnet1' }),
      ],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST1, NET2, 2), vlan(HOST2, NET1, 1), vlan(HOST2, NET2, 1)],
    });
    const lines = dump(index, HOST1);
    expect(lines).toContain(' table=0, priority=1,in_port="gre-0a00000c" actions=resubmit(,3)');
    expect(lines).toContain(' table=3, priority=1,tun_id=0x12c actions=mod_vlan_vid:1,resubmit(,10)');
    expect(lines.some((l) => l.includes('dl_vlan=2'))).toBe(false);
  });

  it('answers ARP for every remote IPv4 with the OVS action text', () => {
    expect(arpResponderActions('fa:16:3e:0a:0b:0c', '192.168.1.12')).toBe(
      'load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],' +
        'load:0xfa163e0a0b0c->NXM_NX_ARP_SHA[],load:0xc0a8010c->NXM_OF_ARP_SPA[],' +
        'move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:fa:16:3e:0a:0b:0c,IN_PORT',
    );
    const index = workedExample({
      subnets: [subnet(SUBNET1, NET1, '10.1.0.0/24', '10.1.0.1'), subnet('5b5b5b5b-0000-4000-8000-00000000006a', NET1, 'fd00::/64', null, { ipVersion: 6 })],
      ports: [
        port(VM_PORT, NET1, HOST1),
        port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2, {
          macAddress: 'fa:16:3e:22:22:22',
          fixedIps: [
            { subnetId: SUBNET1, ipAddress: '10.1.0.6' },
            { subnetId: '5b5b5b5b-0000-4000-8000-00000000006a', ipAddress: 'fd00::6' },
          ],
        }),
      ],
    });
    const table21 = hostFlows(index, HOST1, 'br-tun').filter((f) => f.table === 21);
    expect(table21.map((f) => f.match)).toEqual(['arp,dl_vlan=1,arp_tpa=10.1.0.6', '']);
  });

  describe('without l2population', () => {
    const HOST4 = 'a4a4a4a4-0000-4000-8000-000000000004';
    const HOST5 = 'a5a5a5a5-0000-4000-8000-000000000005';
    const noL2pop = (id: string, name: string, ip: string) => ({ ...host(id, name, ip), l2Population: false, arpResponder: true });
    // HOST1 has net1 with HOST2; HOST3 shares no network; HOST4 has an IPv6
    // endpoint; HOST5 has the same tunnel IP as HOST1.
    const cloud = () =>
      indexOf({
        hosts: [
          noL2pop(HOST1, 'c1', '10.0.0.11'),
          host(HOST2, 'c2', '10.0.0.12'),
          host(HOST3, 'n1', '10.0.0.21'),
          host(HOST4, 'v6', '2001:db8::4'),
          host(HOST5, 'same', '10.0.0.11'),
        ],
        networks: [network(NET1)],
        ports: [port(VM_PORT, NET1, HOST1), port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2, { macAddress: 'fa:16:3e:22:22:22' })],
        localVlans: [vlan(HOST1, NET1, 1), vlan(HOST2, NET1, 2)],
        tunnelTypes: ['VXLAN', 'GRE'],
      });

    it('has a tunnel port of every tunnel type to every other endpoint of its IP version', () => {
      const lines = dump(cloud(), HOST1);
      expect(lines.filter((l) => l.startsWith(' table=0, priority=1,in_port="'))).toEqual([
        ' table=0, priority=1,in_port="patch-int" actions=resubmit(,2)',
        ' table=0, priority=1,in_port="gre-0a00000c" actions=resubmit(,3)',
        ' table=0, priority=1,in_port="gre-0a000015" actions=resubmit(,3)',
        ' table=0, priority=1,in_port="vxlan-0a00000c" actions=resubmit(,4)',
        ' table=0, priority=1,in_port="vxlan-0a000015" actions=resubmit(,4)',
      ]);
    });

    it('floods to every tunnel port of the network type, keeps table 20 for learning and answers no ARP', () => {
      const lines = dump(cloud(), HOST1);
      expect(lines.filter((l) => l.startsWith(' table=22,'))).toEqual([
        ' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c",output:"vxlan-0a000015"',
        ' table=22, priority=0 actions=drop',
      ]);
      expect(lines.filter((l) => l.startsWith(' table=20,'))).toEqual([' table=20, priority=0 actions=resubmit(,22)']);
      // arp_responder is set, but the agent enables it only with l2population.
      expect(lines.some((l) => l.startsWith(' table=21,') || l.includes('resubmit(,21)'))).toBe(false);
    });

    it('is seen by an l2population host as one more FDB entry of a shared network', () => {
      const lines = dump(cloud(), HOST2);
      expect(lines).toContain(' table=20, priority=2,dl_vlan=2,dl_dst=fa:16:3e:00:00:01 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000b"');
      expect(lines.some((l) => l.includes('0a000015'))).toBe(false);
    });
  });

  it('floods a network present only on this host to the tunnel ports of its type already on br-tun', () => {
    const LONELY = 'cccccccc-0000-4000-8000-000000000009';
    const GRE_NET = 'cccccccc-0000-4000-8000-00000000000a';
    const index = workedExample({
      networks: [network(NET1), network(LONELY, { segmentationId: 60 }), network(GRE_NET, { networkType: 'GRE', segmentationId: 7 })],
      ports: [
        port(VM_PORT, NET1, HOST1),
        port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2, { macAddress: 'fa:16:3e:22:22:22' }),
        port('b3b3b3b3-3333-4000-8000-000000000003', LONELY, HOST1, { macAddress: 'fa:16:3e:33:33:33' }),
        port('b4b4b4b4-4444-4000-8000-000000000004', GRE_NET, HOST1, { macAddress: 'fa:16:3e:44:44:44' }),
      ],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST2, NET1, 2), vlan(HOST1, LONELY, 3), vlan(HOST1, GRE_NET, 4)],
    });
    expect(dump(index, HOST1).filter((l) => l.startsWith(' table=22,'))).toEqual([
      ' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
      ' table=22, priority=1,dl_vlan=3 actions=strip_vlan,load:0x3c->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
      ' table=22, priority=0 actions=drop',
    ]);
  });

  it('answers no ARP with l2population but without arp_responder', () => {
    const index = workedExample({ hosts: [{ ...host(HOST1, 'c1', '10.0.0.11'), arpResponder: false }, host(HOST2, 'c2', '10.0.0.12')] });
    const lines = dump(index, HOST1);
    expect(lines.some((l) => l.startsWith(' table=21,') || l.includes('resubmit(,21)'))).toBe(false);
    expect(lines).toContain(' table=20, priority=2,dl_vlan=1,dl_dst=fa:16:3e:22:22:22 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"');
  });

  it('is empty for a host without a tunnel IP', () => {
    const index = indexOf({ hosts: [host(HOST1, 'c1', '')] });
    expect(hostFlows(index, HOST1, 'br-tun')).toEqual([]);
  });
});
