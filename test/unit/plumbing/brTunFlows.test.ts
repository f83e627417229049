import { DEVICE_OWNER } from '../../../src/domain/model.js';
import { arpResponderActions, hostFlows, renderDumpFlows } from '../../../src/domain/plumbing/index.js';
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

const dump = (index: ReturnType<typeof indexOf>, hostId: string) => renderDumpFlows(hostFlows(index, hostId, 'br-tun')).split('\n');

describe('br-tun flows', () => {
  it('reproduces the worked example of NEUTRON-MODEL.md §4 on both hosts', () => {
    const index = workedExample();
    expect(dump(index, HOST1)).toContain(
      ' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
    );
    expect(dump(index, HOST2)).toContain(' table=4, priority=1,tun_id=0x39 actions=mod_vlan_vid:2,resubmit(,10)');
    expect(dump(index, HOST2)).toContain(
      ' table=22, priority=1,dl_vlan=2 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000b"',
    );
  });

  it('prints the whole table set of a host in ovs-ofctl order', () => {
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
        ' table=10, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:"patch-int"',
        ' table=20, priority=2,dl_vlan=1,dl_dst=fa:16:3e:22:22:22 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
        ' table=20, priority=0 actions=resubmit(,22)',
        ' table=21, priority=1,arp,dl_vlan=1,arp_tpa=10.1.0.6 actions=load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0xfa163e222222->NXM_NX_ARP_SHA[],load:0xa010006->NXM_OF_ARP_SPA[],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:fa:16:3e:22:22:22,IN_PORT',
        ' table=21, priority=0 actions=resubmit(,22)',
        ' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"',
        ' table=22, priority=0 actions=drop',
        '',
      ].join('\n'),
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

  it('is empty for a host without a tunnel IP', () => {
    const index = indexOf({ hosts: [host(HOST1, 'c1', '')] });
    expect(hostFlows(index, HOST1, 'br-tun')).toEqual([]);
  });
});
