// Neutron 2026.1's own unit tests of the native OVS agent bridges
// (neutron/tests/unit/plugins/ml2/drivers/openvswitch/agent/openflow/native/
// test_br_tun.py, test_br_int.py, test_br_phys.py and ovs_bridge_test_base.py;
// get_tunnel_name from ../test_ovs_neutron_agent.py), with their inputs and
// their expected OpenFlow messages written as ovs-ofctl dump-flows prints
// them (OpenFlow 1.0: goto_table is resubmit(,N), push_vlan + set_field of
// vlan_vid is mod_vlan_vid, pop_vlan is strip_vlan, set_field of the tunnel
// id is load:...->NXM_NX_TUN_ID[]). Ports are given by name where Neutron's
// tests use ofport numbers; the table below says which name stands for which
// number. Each case is named by the Neutron test it comes from.
// Not covered: the DVR cases (DVR is not modelled), meters, DSCP, GARP and
// local-IP flows (extensions the model does not run), the DHCP tables of
// br-int (enable_openflow_dhcp is off), and the delete_*/uninstall cases
// other than the ones reclaim_local_vlan performs (see the reclaim cases).
import { tunnelPortName } from '../../../src/domain/naming.js';
import {
  arpResponder, defaultTable, dropPort, floodToTun, hostFlows, installArpSpoofingProtection, installIcmpv6NaSpoofingProtection,
  intDefaultTable, intProvisionLocalVlan, physDefaultTable, physDropPort, physProvisionLocalVlan, provisionLocalVlan,
  renderFlow, setAllowedMacsForPort, setupTunnelPort, unicastToTun, withCookie, type FlowRule,
} from '../../../src/domain/plumbing/index.js';
import { HOST1, HOST2, host, indexOf, network, NET1, NET2, port, vlan, VM_PORT, workedExample } from './fixtures.js';

/** The bridge's default_cookie in the tests (self.stamp); any value, printed as ovs-ofctl does. */
const STAMP = '0x5eed';
const print = (rules: FlowRule[]) => withCookie(rules, STAMP).map(renderFlow);
const line = (text: string) => ` cookie=${STAMP}, ${text}`;

/** Neutron's ofport numbers and the port names that stand for them here. */
const PORT = {
  5555: 'patch-int', // patch_int_ofport
  999: 'int-br-ex', // br-int's patch port towards a physnet bridge (br_int tests)
  8888: 'qvo4874fb2a-1f', // a VM port (spoofing tests)
  2345: 'qvo0a0b0c0d-0e', // drop_port's in_port
  1: 'qvo11223344-55', // set_allowed_macs_for_port's port
  55: 'vxlan-0a000037', // install_unicast_to_tun's tunnel port
  11111: 'vxlan-0a0000ff', // setup_tunnel_port's port
  11: 'vxlan-0a00000b',
  44: 'vxlan-0a00002c',
  22: 'vxlan-0a000016',
  33: 'vxlan-0a000021',
} as const;

const LEARN =
  `learn(table=20,hard_timeout=300,priority=1,cookie=${STAMP},NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],` +
  'load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:"patch-int"';

/** _get_learn_flows of test_br_tun.py. */
const LEARN_FLOWS = [
  line(`table=10, priority=2,arp,arp_tha=ff:ff:ff:ff:ff:ff actions=${LEARN}`),
  line(`table=10, priority=2,icmp6,icmp_type=134 actions=${LEARN}`),
  line(`table=10, priority=2,icmp6,icmp_type=136 actions=${LEARN}`),
  line(`table=10, priority=1 actions=${LEARN}`),
];

const ARP_RESPONDER_ACTIONS =
  'load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],' +
  'load:0x8606e7f74e7->NXM_NX_ARP_SHA[],load:0xc0000201->NXM_OF_ARP_SPA[],' +
  'move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:08:60:6e:7f:74:e7,IN_PORT';

interface Case {
  neutronTest: string;
  rules: () => FlowRule[];
  /** The expected messages, in the order the test expects them. */
  expected: string[];
}

const CASES: Case[] = [
  // ---- test_br_tun.py (OVSTunnelBridgeTest)
  {
    neutronTest: 'test_br_tun.OVSTunnelBridgeTest.test_setup_default_table',
    rules: () => defaultTable(false, STAMP),
    expected: [
      line('table=0, priority=1,in_port="patch-int" actions=resubmit(,2)'),
      line('table=0, priority=0 actions=drop'),
      line('table=2, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)'),
      line('table=2, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)'),
      line('table=3, priority=0 actions=drop'),
      line('table=4, priority=0 actions=drop'),
      line('table=6, priority=0 actions=drop'),
      ...LEARN_FLOWS,
      line('table=20, priority=0 actions=resubmit(,22)'),
      line('table=22, priority=0 actions=drop'),
    ],
  },
  {
    neutronTest: 'test_br_tun.OVSTunnelBridgeTest.test_setup_default_table_arp_responder_enabled',
    rules: () => defaultTable(true, STAMP),
    expected: [
      line('table=0, priority=1,in_port="patch-int" actions=resubmit(,2)'),
      line('table=0, priority=0 actions=drop'),
      line('table=2, priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,21)'),
      line('table=2, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)'),
      line('table=2, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)'),
      line('table=3, priority=0 actions=drop'),
      line('table=4, priority=0 actions=drop'),
      line('table=6, priority=0 actions=drop'),
      ...LEARN_FLOWS,
      line('table=20, priority=0 actions=resubmit(,22)'),
      line('table=21, priority=0 actions=resubmit(,22)'),
      line('table=22, priority=0 actions=drop'),
    ],
  },
  {
    neutronTest: 'test_br_tun.OVSTunnelBridgeTest.test_provision_local_vlan',
    rules: () => [provisionLocalVlan('vxlan', 888, 777)],
    expected: [line('table=4, priority=1,tun_id=0x309 actions=mod_vlan_vid:888,resubmit(,10)')],
  },
  {
    neutronTest: 'test_br_tun.OVSTunnelBridgeTest.test_install_flood_to_tun',
    rules: () => [floodToTun(3333, 2222, [PORT[11], PORT[44], PORT[22], PORT[33]])],
    expected: [
      line(
        'table=22, priority=1,dl_vlan=3333 actions=strip_vlan,load:0x8ae->NXM_NX_TUN_ID[],' +
          'output:"vxlan-0a00000b",output:"vxlan-0a00002c",output:"vxlan-0a000016",output:"vxlan-0a000021"',
      ),
    ],
  },
  {
    neutronTest: 'test_br_tun.OVSTunnelBridgeTest.test_install_unicast_to_tun',
    rules: () => [unicastToTun(3333, 2222, PORT[55], '08:60:6e:7f:74:e7')],
    expected: [
      line('table=20, priority=2,dl_vlan=3333,dl_dst=08:60:6e:7f:74:e7 actions=strip_vlan,load:0x8ae->NXM_NX_TUN_ID[],output:"vxlan-0a000037"'),
    ],
  },
  {
    neutronTest: 'test_br_tun.OVSTunnelBridgeTest.test_setup_tunnel_port',
    rules: () => [setupTunnelPort('vxlan', PORT[11111])],
    expected: [line('table=0, priority=1,in_port="vxlan-0a0000ff" actions=resubmit(,4)')],
  },
  {
    neutronTest: 'ovs_bridge_test_base.OVSBridgeTestBase.test_install_arp_responder (br-tun)',
    rules: () => [arpResponder(3333, '192.0.2.1', '08:60:6e:7f:74:e7')],
    expected: [line(`table=21, priority=1,arp,dl_vlan=3333,arp_tpa=192.0.2.1 actions=${ARP_RESPONDER_ACTIONS}`)],
  },
  // ---- test_br_int.py (OVSIntegrationBridgeTest)
  {
    neutronTest: 'test_br_int.OVSIntegrationBridgeTest.test_setup_default_table (without its DHCP tables 77/78)',
    rules: () => intDefaultTable(),
    expected: [
      line('table=23, priority=0 actions=drop'),
      line('table=0, priority=0 actions=resubmit(,58)'),
      line('table=58, priority=0 actions=resubmit(,59)'),
      line('table=59, priority=0 actions=resubmit(,60)'),
      line('table=60, priority=1 actions=NORMAL'),
      line('table=24, priority=0 actions=drop'),
      line('table=0, priority=65535,dl_vlan=4095 actions=drop'),
      line('table=62, priority=3 actions=NORMAL'),
      line('table=30, priority=0 actions=resubmit(,58)'),
      line('table=31, priority=0 actions=resubmit(,58)'),
    ],
  },
  {
    neutronTest: 'test_br_int.OVSIntegrationBridgeTest.test_provision_local_vlan',
    rules: () => [intProvisionLocalVlan(PORT[999], 888, 777)],
    expected: [line('table=0, priority=3,in_port="int-br-ex",dl_vlan=777 actions=mod_vlan_vid:888,resubmit(,58)')],
  },
  {
    neutronTest: 'test_br_int.OVSIntegrationBridgeTest.test_provision_local_vlan_novlan',
    rules: () => [intProvisionLocalVlan(PORT[999], 888, null)],
    expected: [line('table=0, priority=3,in_port="int-br-ex",vlan_tci=0x0000/0x1fff actions=mod_vlan_vid:888,resubmit(,58)')],
  },
  {
    neutronTest: 'test_br_int.OVSIntegrationBridgeTest.test_install_icmpv6_na_spoofing_protection',
    rules: () => installIcmpv6NaSpoofingProtection(PORT[8888], ['2001:db8::1', 'fdf8:f53b:82e4::1/128']),
    expected: [
      line('table=24, priority=2,icmp6,in_port="qvo4874fb2a-1f",icmp_type=136,nd_target=2001:db8::1 actions=resubmit(,58)'),
      line('table=24, priority=2,icmp6,in_port="qvo4874fb2a-1f",icmp_type=136,nd_target=fdf8:f53b:82e4::1 actions=resubmit(,58)'),
      line('table=0, priority=10,icmp6,in_port="qvo4874fb2a-1f",icmp_type=136 actions=resubmit(,24)'),
    ],
  },
  {
    neutronTest: 'test_br_int.OVSIntegrationBridgeTest.test_install_arp_spoofing_protection',
    rules: () => installArpSpoofingProtection(PORT[8888], ['192.0.2.1', '192.0.2.2/32']),
    expected: [
      line('table=24, priority=2,arp,in_port="qvo4874fb2a-1f",arp_spa=192.0.2.1 actions=resubmit(,25)'),
      line('table=24, priority=2,arp,in_port="qvo4874fb2a-1f",arp_spa=192.0.2.2 actions=resubmit(,25)'),
      line('table=0, priority=10,arp,in_port="qvo4874fb2a-1f" actions=resubmit(,24)'),
    ],
  },
  {
    neutronTest: 'test_br_int.OVSIntegrationBridgeTest.test_set_allowed_macs_for_port',
    rules: () => setAllowedMacsForPort(PORT[1], ['11:22:33:44:55:66']),
    expected: [
      line('table=25, priority=2,in_port="qvo11223344-55",dl_src=11:22:33:44:55:66 actions=resubmit(,30)'),
      line('table=0, priority=9,in_port="qvo11223344-55" actions=resubmit(,25)'),
    ],
  },
  {
    neutronTest: 'ovs_bridge_test_base.OVSBridgeTestBase.test_drop_port (br-int)',
    rules: () => [dropPort(PORT[2345])],
    expected: [line('table=0, priority=2,in_port="qvo0a0b0c0d-0e" actions=drop')],
  },
  // ---- test_br_phys.py (OVSPhysicalBridgeTest)
  {
    neutronTest: 'test_br_phys.OVSPhysicalBridgeTest.test_setup_default_table',
    rules: () => physDefaultTable(),
    expected: [line('table=0, priority=0 actions=NORMAL')],
  },
  {
    neutronTest: 'test_br_phys.OVSPhysicalBridgeTest.test_provision_local_vlan',
    rules: () => [physProvisionLocalVlan('phy-br-ex', 888, 777)],
    expected: [line('table=0, priority=4,in_port="phy-br-ex",dl_vlan=888 actions=mod_vlan_vid:777,NORMAL')],
  },
  {
    neutronTest: 'test_br_phys.OVSPhysicalBridgeTest.test_provision_local_vlan_novlan',
    rules: () => [physProvisionLocalVlan('phy-br-ex', 888, null)],
    expected: [line('table=0, priority=4,in_port="phy-br-ex",dl_vlan=888 actions=strip_vlan,NORMAL')],
  },
  {
    neutronTest: 'ovs_bridge_test_base.OVSBridgeTestBase.test_drop_port (br-phys)',
    rules: () => [physDropPort('phy-br-ex')],
    expected: [line('table=0, priority=2,in_port="phy-br-ex" actions=drop')],
  },
];

describe("Neutron 2026.1's native bridge tests, as dump-flows lines", () => {
  it.each(CASES.map((c) => [c.neutronTest, c] as const))('%s', (_name, c) => {
    expect(print(c.rules())).toEqual(c.expected);
  });
});

describe('reclaim_local_vlan cases: what the reclaim removes is absent once the network has no local VLAN', () => {
  const brTun = (index: ReturnType<typeof indexOf>) => hostFlows(index, HOST1, 'br-tun');
  const provisioned = workedExample();
  // The same cloud after the last port of net1 left HOST1: its local VLAN is released.
  const reclaimed = workedExample({ ports: [], localVlans: [vlan(HOST2, NET1, 2)] });

  it('test_br_tun.OVSTunnelBridgeTest.test_reclaim_local_vlan: no table 4 flow for the tunnel id', () => {
    expect(brTun(provisioned).some((f) => f.table === 4 && f.match === 'tun_id=0x39')).toBe(true);
    expect(brTun(reclaimed).some((f) => f.match.includes('tun_id=0x39'))).toBe(false);
  });

  it('test_delete_flood_to_tun, test_delete_unicast_to_tun_without_mac, test_delete_arp_responder_without_ip: no flow of VLAN 1 left', () => {
    expect(brTun(provisioned).filter((f) => f.match.includes('dl_vlan=1')).map((f) => f.table)).toEqual([20, 21, 22]);
    expect(brTun(reclaimed).some((f) => f.match.includes('dl_vlan=1'))).toBe(false);
  });

  const provider = (localVlans: ReturnType<typeof vlan>[]) =>
    indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11', { physnet1: 'br-ex' })],
      networks: [network(NET1, { networkType: 'VLAN', segmentationId: 777, physicalNetwork: 'physnet1' }), network(NET2, { networkType: 'FLAT', segmentationId: null, physicalNetwork: 'physnet1' })],
      ports: localVlans.length ? [port(VM_PORT, NET1, HOST1)] : [],
      localVlans,
    });

  it('test_br_int.OVSIntegrationBridgeTest.test_reclaim_local_vlan(_novlan) and test_br_phys ... test_reclaim_local_vlan', () => {
    const before = provider([vlan(HOST1, NET1, 888), vlan(HOST1, NET2, 889)]);
    const after = provider([]);
    const priority = (index: ReturnType<typeof indexOf>, bridge: string, p: number) => hostFlows(index, HOST1, bridge).filter((f) => f.table === 0 && f.priority === p).map((f) => f.match);
    expect(priority(before, 'br-int', 3)).toEqual(['in_port="int-br-ex",dl_vlan=777', 'in_port="int-br-ex",vlan_tci=0x0000/0x1fff']);
    expect(priority(before, 'br-ex', 4)).toEqual(['in_port="phy-br-ex",dl_vlan=888', 'in_port="phy-br-ex",dl_vlan=889']);
    expect(priority(after, 'br-int', 3)).toEqual([]);
    expect(priority(after, 'br-ex', 4)).toEqual([]);
  });
});

describe('test_ovs_neutron_agent.TestOvsNeutronAgent get_tunnel_name cases', () => {
  it.each([
    ['test_get_tunnel_name_vxlan', 'VXLAN', '127.0.0.2', 'vxlan-7f000002'],
    ['test_get_tunnel_name_gre', 'GRE', '127.0.0.2', 'gre-7f000002'],
    ['test_get_tunnel_name_vxlan_ipv6', 'VXLAN', '2001:db8::2', 'vxlan-qtfsbtdew'],
    ['test_get_tunnel_name_gre_ipv6', 'GRE', '2001:db8::2', 'gre-qtfsbtdewtq'],
  ] as const)('%s', (_name, type, remoteIp, expected) => {
    expect(tunnelPortName(type, remoteIp)).toBe(expected);
  });
});
