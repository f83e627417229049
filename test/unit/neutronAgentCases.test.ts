// The cases of Neutron 2026.1's own OVS agent unit tests about local VLANs
// and tunnel ports (neutron/tests/unit/plugins/ml2/drivers/openvswitch/agent/
// test_ovs_neutron_agent.py), with their inputs and expected outputs, run
// through the model's rules. Each case names the Neutron test it comes from.
import { FreeVlanSet } from '../../src/domain/localVlans.js';
import { tunnelPortName } from '../../src/domain/naming.js';
import { tunnelPorts } from '../../src/domain/plumbing/index.js';
import { host, indexOf, network, port, vlan } from './plumbing/fixtures.js';

const freeIds = (set: FreeVlanSet) => {
  const ids = new Set<number>();
  for (let v = set.pop(); v !== null; v = set.pop()) ids.add(v);
  return ids;
};

describe('TestOvsNeutronAgent: local VLANs', () => {
  it.each([
    // test_agent_available_local_vlans: MIN_VLAN_TAG, MIN+1, MAX-1, MAX are free; MIN-1, MAX+1, MAX+2 are not.
    { test: 'test_agent_available_local_vlans', tags: [], free: [1, 2, 4093, 4094], notFree: [0, 4095, 4096] },
    // _test_restore_local_vlan_maps(2): the port's tag 2 becomes a hint and leaves the free set.
    { test: 'test_restore_local_vlan_map_with_device_has_tag', tags: [2], free: [1, 3, 4094], notFree: [2] },
    // _test_restore_local_vlan_maps([]): a port without a tag gives no hint; nothing leaves the set.
    { test: 'test_restore_local_vlan_map_with_device_no_tag', tags: [], free: [1, 2, 4094], notFree: [] },
    // _test_restore_local_vlan_maps(2, tun_ofports={2, 3}) / no_tun_br: the VLAN is hinted the same way.
    { test: 'test_restore_local_vlan_map_tun_ofports', tags: [2], free: [1, 3], notFree: [2] },
  ])('$test', ({ tags, free, notFree }) => {
    const ids = freeIds(FreeVlanSet.restarted(tags));
    expect(ids.size).toBe(4094 - tags.length);
    for (const v of free) expect(ids.has(v)).toBe(true);
    for (const v of notFree) expect(ids.has(v)).toBe(false);
  });
});

// The get_tunnel_name cases are in test/unit/plumbing/neutronCases.test.ts.
describe('TestOvsAgentTunnelName', () => {
  it('test_get_tunnel_hash_invalid_address: no name for a.b.c.d', () => {
    expect(() => tunnelPortName('VXLAN', 'a.b.c.d')).toThrow();
  });
});

const LOCAL = 'a0a0a0a0-0000-4000-8000-000000000000';
const REMOTE = 'a9a9a9a9-0000-4000-8000-000000000009';

describe('TestOvsNeutronAgent: tunnel port setup', () => {
  // _setup_tunnel_port(tun_br, name, remote_ip, 'vxlan') with l2_pop off and local_ip set: a port towards the remote.
  it.each([
    { test: 'test_setup_tunnel_port', local: '2.3.4.5', remote: '1.2.3.4', ports: [{ name: 'vxlan-01020304', type: 'vxlan', remoteIp: '1.2.3.4', localIp: '2.3.4.5' }] },
    // local_ip 1.2.3.4, remote_ip 2001:db8::2: "IP version mismatch, cannot create tunnel", ofport 0.
    { test: 'test_setup_tunnel_port_invalid_address_mismatch', local: '1.2.3.4', remote: '2001:db8::2', ports: [] },
  ])('$test', ({ local, remote, ports }) => {
    const index = indexOf({
      hosts: [{ ...host(LOCAL, 'local', local), l2Population: false }, { ...host(REMOTE, 'remote', remote), l2Population: false }],
      tunnelTypes: ['VXLAN'],
    });
    expect(tunnelPorts(index, LOCAL)).toEqual(ports);
  });

  // _prepare_l2_pop_ofports: GRE networks net1 (tunnel to 1.1.1.1) and net2 (tunnels to 1.1.1.1 and 2.2.2.2), l2_pop on.
  const NET1 = 'cccccccc-0000-4000-8000-0000000000a1';
  const NET2 = 'cccccccc-0000-4000-8000-0000000000a2';
  const R1 = 'a1a1a1a1-0000-4000-8000-0000000000a1';
  const R2 = 'a2a2a2a2-0000-4000-8000-0000000000a2';
  const l2popIndex = (reclaimed: string) =>
    indexOf({
      hosts: [host(LOCAL, 'local', '3.3.3.3'), host(R1, 'r1', '1.1.1.1'), host(R2, 'r2', '2.2.2.2')],
      networks: [network(NET1, { networkType: 'GRE', segmentationId: 1 }), network(NET2, { networkType: 'GRE', segmentationId: 2 })],
      ports: [
        ...[NET1, NET2].filter((n) => n !== reclaimed).map((n, i) => port(`b0b0b0b0-0000-4000-8000-00000000000${i}`, n, LOCAL)),
        port('b1b1b1b1-0000-4000-8000-000000000001', NET1, R1),
        port('b1b1b1b1-0000-4000-8000-000000000002', NET2, R1),
        port('b2b2b2b2-0000-4000-8000-000000000002', NET2, R2),
      ],
      localVlans: [
        ...[NET1, NET2].filter((n) => n !== reclaimed).map((n, i) => vlan(LOCAL, n, i + 1)),
        vlan(R1, NET1, 1), vlan(R1, NET2, 2), vlan(R2, NET2, 1),
      ],
    });
  it.each([
    // reclaim_local_vlan('net1', 'seg1'): 1.1.1.1 still serves net2, so cleanup_tunnel_port removes nothing.
    { test: 'test_recl_lv_port_to_preserve', reclaimed: NET1, ports: ['gre-01010101', 'gre-02020202'] },
    // reclaim_local_vlan('net2', 'seg2'): tun_br.delete_port('gre-02020202').
    { test: 'test_recl_lv_port_to_remove', reclaimed: NET2, ports: ['gre-01010101'] },
  ])('$test', ({ reclaimed, ports }) => {
    expect(tunnelPorts(l2popIndex('none'), LOCAL).map((p) => p.name)).toEqual(['gre-01010101', 'gre-02020202']);
    expect(tunnelPorts(l2popIndex(reclaimed), LOCAL).map((p) => p.name)).toEqual(ports);
  });
});
