import { hostBridges, openVswitchUuid, ovsdbString, renderOvsVsctlShow } from '../../../src/domain/plumbing/index.js';
import { HOST1, HOST2, host, indexOf, NET1, network, port, VM_PORT, vlan, workedExample } from './fixtures.js';

describe('renderOvsVsctlShow', () => {
  it('prints the layout of ovs-vsctl show for an OVS agent host', () => {
    const text = renderOvsVsctlShow(hostBridges(workedExample(), HOST1), HOST1);
    expect(text).toBe(
      [
        openVswitchUuid(HOST1),
        '    Manager "ptcp:6640:127.0.0.1"',
        '        is_connected: true',
        '    Bridge br-int',
        '        Controller "tcp:127.0.0.1:6633"',
        '            is_connected: true',
        '        fail_mode: secure',
        '        datapath_type: system',
        '        Port br-int',
        '            Interface br-int',
        '                type: internal',
        '        Port patch-tun',
        '            Interface patch-tun',
        '                type: patch',
        '                options: {peer=patch-int}',
        '        Port qvo4874fb2a-1f',
        '            tag: 1',
        '            Interface qvo4874fb2a-1f',
        '    Bridge br-tun',
        '        Controller "tcp:127.0.0.1:6633"',
        '            is_connected: true',
        '        fail_mode: secure',
        '        datapath_type: system',
        '        Port br-tun',
        '            Interface br-tun',
        '                type: internal',
        '        Port patch-int',
        '            Interface patch-int',
        '                type: patch',
        '                options: {peer=patch-tun}',
        '        Port vxlan-0a00000c',
        '            Interface vxlan-0a00000c',
        '                type: vxlan',
        '                options: {df_default="true", egress_pkt_mark="0", in_key=flow, local_ip="10.0.0.11", out_key=flow, remote_ip="10.0.0.12"}',
        '    ovs_version: "3.3.0"',
        '',
      ].join('\n'),
    );
  });

  it('shows physnet bridges with their patch ports and the dead VLAN tag', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '', { physnet1: 'br-ex' })],
      networks: [network(NET1)],
      ports: [port(VM_PORT, NET1, HOST1)],
    });
    const text = renderOvsVsctlShow(hostBridges(index, HOST1), HOST1, { connected: false, ovsVersion: '2.17.9' });
    expect(text).toContain(
      ['        Port int-br-ex', '            Interface int-br-ex', '                type: patch', '                options: {peer=phy-br-ex}'].join('\n'),
    );
    expect(text).toContain(['        Port qvo4874fb2a-1f', '            tag: 4095', '            Interface qvo4874fb2a-1f\n'].join('\n'));
    expect(text).toContain(
      [
        '    Bridge br-ex',
        '        Controller "tcp:127.0.0.1:6633"',
        '        fail_mode: secure',
        '        datapath_type: system',
        '        Port br-ex',
        '            Interface br-ex',
        '                type: internal',
        '        Port phy-br-ex',
        '            Interface phy-br-ex',
        '                type: patch',
        '                options: {peer=int-br-ex}',
        '    ovs_version: "2.17.9"',
      ].join('\n'),
    );
    expect(text).not.toContain('is_connected');
  });

  it('makes GRE between IPv6 endpoints an ip6gre interface with packet_type legacy_l2, named by the BLAKE2b hash', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '2001:db8::1'), host(HOST2, 'c2', '2001:db8::2')],
      networks: [network(NET1, { networkType: 'GRE', segmentationId: 300 })],
      ports: [port(VM_PORT, NET1, HOST1), port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2)],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST2, NET1, 1)],
    });
    const text = renderOvsVsctlShow(hostBridges(index, HOST1), HOST1);
    expect(text).toContain(
      [
        '        Port gre-qtfsbtdewtq',
        '            Interface gre-qtfsbtdewtq',
        '                type: ip6gre',
        '                options: {df_default="true", egress_pkt_mark="0", in_key=flow, local_ip="2001:db8::1", out_key=flow, packet_type=legacy_l2, remote_ip="2001:db8::2"}',
      ].join('\n'),
    );
  });

  it('derives a stable, well-formed UUID from the seed', () => {
    const uuid = openVswitchUuid(HOST1);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(openVswitchUuid(HOST1)).toBe(uuid);
    expect(openVswitchUuid('other')).not.toBe(uuid);
  });

  it('quotes strings the way OVSDB does', () => {
    expect(ovsdbString('br-int')).toBe('br-int');
    expect(ovsdbString('qvo4874fb2a-1f')).toBe('qvo4874fb2a-1f');
    expect(ovsdbString('flow')).toBe('flow');
    expect(ovsdbString('10.0.0.2')).toBe('"10.0.0.2"');
    expect(ovsdbString('0')).toBe('"0"');
    expect(ovsdbString('true')).toBe('"true"');
    expect(ovsdbString('tcp:127.0.0.1:6633')).toBe('"tcp:127.0.0.1:6633"');
    expect(ovsdbString(HOST1)).toBe(`"${HOST1}"`);
  });
});
