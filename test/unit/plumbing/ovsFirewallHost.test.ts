// A host's Open vSwitch firewall flows: provider networks, ports the driver
// does not filter, and what changes against the hybrid driver on br-int
// (docs/neutron-model.md, "The Open vSwitch firewall driver").
import { brIntFlows } from '../../../src/domain/plumbing/brIntFlows.js';
import { toFlowRule, unfilteredPortFlows } from '../../../src/domain/plumbing/ovsFirewallFlows.js';
import { hostFirewallFlows } from '../../../src/domain/plumbing/ovsFirewallHost.js';
import { dhcpPort, HOST1, host, indexOf, NET1, NET2, network, port, vlan, VM_PORT } from './fixtures.js';

const line = (f: { table: number; priority: number; match: string; actions: string }) => `table=${f.table}, priority=${f.priority},${f.match} actions=${f.actions}`;
const VM_TAP = `"tap${VM_PORT.slice(0, 11)}"`;

function ovsHost(networkType: 'VXLAN' | 'VLAN' | 'FLAT', vm: Parameters<typeof port>[3] = {}) {
  const mappings = { physnet1: 'br-ex' };
  return indexOf({
    hosts: [{ ...host(HOST1, 'compute1', '10.0.0.11', mappings), firewallDriver: 'OPENVSWITCH' }],
    networks: [network(NET1, { networkType, segmentationId: networkType === 'FLAT' ? null : 100, physicalNetwork: networkType === 'VXLAN' ? null : 'physnet1' }), network(NET2)],
    ports: [port(VM_PORT, NET1, HOST1, { fixedIps: [{ subnetId: 's', ipAddress: '10.0.1.5' }], ...vm }), dhcpPort('dddd0000-1f3e-4c2a-9b1e-000000000001', NET2, HOST1)],
    localVlans: [vlan(HOST1, NET1, 3), vlan(HOST1, NET2, 4)],
  });
}

describe('table 60 of a filtered port', () => {
  it.each([
    ['VXLAN', []],
    ['VLAN', ['table=60, priority=90,dl_vlan=100,dl_dst=fa:16:3e:00:00:01 actions=set_field:0x3->reg5,set_field:0x3->reg6,strip_vlan,resubmit(,81)']],
    ['FLAT', ['table=60, priority=90,vlan_tci=0x0000/0x1fff,dl_dst=fa:16:3e:00:00:01 actions=set_field:0x3->reg5,set_field:0x3->reg6,resubmit(,81)']],
  ] as const)('%s: the local VLAN, and the provider VLAN or untagged frames as install_physical_direct_flow adds them', (type, provider) => {
    const flows = hostFirewallFlows(ovsHost(type), HOST1)!.ports.get(VM_PORT)!.map(line).filter((l) => l.startsWith('table=60,'));
    expect(flows).toEqual([
      `table=60, priority=100,in_port=${VM_TAP} actions=set_field:0x3->reg5,set_field:0x3->reg6,resubmit(,71)`,
      ...provider,
      'table=60, priority=90,dl_vlan=3,dl_dst=fa:16:3e:00:00:01 actions=set_field:0x3->reg5,set_field:0x3->reg6,strip_vlan,resubmit(,81)',
    ]);
  });
});

describe('ports the driver does not filter', () => {
  it('passes a DHCP port and a VM without port security straight to table 73, then NORMAL', () => {
    const index = ovsHost('VXLAN', { portSecurityEnabled: false });
    const firewall = hostFirewallFlows(index, HOST1)!;
    expect(firewall.ports.get(VM_PORT)!.map(line)).toEqual([
      `table=60, priority=100,in_port=${VM_TAP} actions=set_field:0x3->reg5,set_field:0x3->reg6,resubmit(,73)`,
      'table=73, priority=80,reg5=0x3 actions=resubmit(,94)',
    ]);
    // br-int numbers int-br-ex and patch-tun first, then the VM's tap (3) and the DHCP port's (4), on VLAN 4.
    expect(firewall.ports.get('dddd0000-1f3e-4c2a-9b1e-000000000001')!.map(line)).toEqual(
      unfilteredPortFlows('tapdddd0000-1f', 4, 4).map(toFlowRule).map(line),
    );
  });
});

describe('br-int against the hybrid driver', () => {
  it('has no anti-spoofing flows in tables 24/25 under the OVS firewall, and none of its tables 71-94 under the hybrid driver', () => {
    const ovs = brIntFlows(ovsHost('VXLAN'), HOST1);
    expect(ovs.filter((f) => f.table === 25 || (f.table === 24 && f.priority > 0))).toEqual([]);
    expect(ovs.some((f) => f.table === 82)).toBe(true);
    const hybridIndex = ovsHost('VXLAN');
    hybridIndex.hosts.get(HOST1)!.firewallDriver = 'IPTABLES_HYBRID';
    const hybrid = brIntFlows(hybridIndex, HOST1);
    expect(hybrid.some((f) => f.table === 25)).toBe(true);
    expect(hybrid.filter((f) => f.table >= 71)).toEqual([]);
    expect(hostFirewallFlows(hybridIndex, HOST1)).toBeNull();
  });
});
