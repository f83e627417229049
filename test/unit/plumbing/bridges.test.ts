import { DEVICE_OWNER } from '../../../src/domain/model.js';
import { hostBridges, type Bridge } from '../../../src/domain/plumbing/index.js';
import {
  dhcpPort,
  EXT_NET,
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
  VM_PORT,
  vlan,
  workedExample,
} from './fixtures.js';

const bridgeOf = (bridges: Bridge[], name: string) => {
  const found = bridges.find((b) => b.name === name);
  if (!found) throw new Error(`no bridge ${name}`);
  return found;
};
const portOf = (bridges: Bridge[], bridge: string, name: string) => bridgeOf(bridges, bridge).ports.find((p) => p.name === name);

describe('hostBridges', () => {
  it('puts the VM port on br-int as qvo<port[:11]> tagged with the local VLAN', () => {
    const bridges = hostBridges(workedExample(), HOST1);
    expect(portOf(bridges, 'br-int', 'qvo4874fb2a-1f')).toEqual({
      name: 'qvo4874fb2a-1f',
      type: 'system',
      tag: 1,
      peer: null,
      remoteIp: null,
      localIp: null,
    });
    expect(portOf(hostBridges(workedExample(), HOST2), 'br-int', 'qvob2b2b2b2-22')?.tag).toBe(2);
  });

  it('links br-int and br-tun with patch-tun / patch-int and lists ports by name', () => {
    const bridges = hostBridges(workedExample(), HOST1);
    expect(bridges.map((b) => b.name)).toEqual(['br-int', 'br-tun']);
    expect(bridgeOf(bridges, 'br-int').ports.map((p) => p.name)).toEqual(['br-int', 'patch-tun', 'qvo4874fb2a-1f']);
    expect(portOf(bridges, 'br-int', 'patch-tun')).toMatchObject({ type: 'patch', peer: 'patch-int', tag: null });
    expect(bridgeOf(bridges, 'br-tun').ports.map((p) => p.name)).toEqual(['br-tun', 'patch-int', 'vxlan-0a00000c']);
    expect(portOf(bridges, 'br-tun', 'patch-int')).toMatchObject({ type: 'patch', peer: 'patch-tun' });
    expect(portOf(bridges, 'br-tun', 'br-tun')).toMatchObject({ type: 'internal', tag: null });
  });

  it('names the tunnel port after the remote IPv4 in hex with both endpoints', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.1'), host(HOST2, 'c2', '10.0.0.2')],
      networks: [network(NET1)],
      ports: [port(VM_PORT, NET1, HOST1), port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2)],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST2, NET1, 1)],
    });
    expect(portOf(hostBridges(index, HOST1), 'br-tun', 'vxlan-0a000002')).toEqual({
      name: 'vxlan-0a000002',
      type: 'vxlan',
      tag: null,
      peer: null,
      remoteIp: '10.0.0.2',
      localIp: '10.0.0.1',
    });
    expect(portOf(hostBridges(index, HOST2), 'br-tun', 'vxlan-0a000001')?.remoteIp).toBe('10.0.0.1');
  });

  it('builds no tunnel towards a host that shares no network (l2population)', () => {
    const index = workedExample({
      hosts: [host(HOST1, 'c1', '10.0.0.11'), host(HOST2, 'c2', '10.0.0.12'), host(HOST3, 'c3', '10.0.0.13')],
      networks: [network(NET1), network(NET2, { segmentationId: 58 })],
      ports: [port(VM_PORT, NET1, HOST1), port('b2b2b2b2-2222-4000-8000-000000000002', NET1, HOST2), port('b3b3b3b3-3333-4000-8000-000000000003', NET2, HOST3)],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST2, NET1, 2), vlan(HOST3, NET2, 1)],
    });
    expect(bridgeOf(hostBridges(index, HOST1), 'br-tun').ports.map((p) => p.name)).toEqual(['br-tun', 'patch-int', 'vxlan-0a00000c']);
    expect(bridgeOf(hostBridges(index, HOST3), 'br-tun').ports.map((p) => p.name)).toEqual(['br-tun', 'patch-int']);
  });

  it('uses one port per tunnel type towards the same remote host', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11'), host(HOST2, 'c2', '10.0.0.12')],
      networks: [network(NET1), network(NET2, { networkType: 'GRE', segmentationId: 9 })],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST1, NET2, 2), vlan(HOST2, NET1, 1), vlan(HOST2, NET2, 2)],
    });
    const tun = bridgeOf(hostBridges(index, HOST1), 'br-tun').ports;
    expect(tun.map((p) => [p.name, p.type])).toEqual([
      ['br-tun', 'internal'],
      ['gre-0a00000c', 'gre'],
      ['patch-int', 'patch'],
      ['vxlan-0a00000c', 'vxlan'],
    ]);
  });

  it('tags a port whose network has no local VLAN with the dead VLAN 4095', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11')],
      networks: [network(NET1)],
      ports: [port(VM_PORT, NET1, HOST1)],
    });
    expect(portOf(hostBridges(index, HOST1), 'br-int', 'qvo4874fb2a-1f')?.tag).toBe(4095);
  });

  it('plugs router and DHCP ports as tagged internal ports, never qvo', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'net1', '10.0.0.11', { physnet1: 'br-ex' })],
      networks: [network(NET1), network(EXT_NET, { networkType: 'FLAT', segmentationId: null, physicalNetwork: 'physnet1', external: true })],
      ports: [
        routerPort('1a1a1a1a-aaaa-4000-8000-000000000001', NET1, HOST1, ROUTER1, DEVICE_OWNER.routerInterface),
        routerPort('9e9e9e9e-eeee-4000-8000-000000000001', EXT_NET, HOST1, ROUTER1, DEVICE_OWNER.routerGateway),
        dhcpPort('d0d0d0d0-dddd-4000-8000-000000000001', NET1, HOST1),
        port('f1f1f1f1-ffff-4000-8000-000000000001', EXT_NET, null, { deviceOwner: DEVICE_OWNER.floatingIp }),
      ],
      localVlans: [vlan(HOST1, NET1, 1), vlan(HOST1, EXT_NET, 2)],
    });
    const intPorts = bridgeOf(hostBridges(index, HOST1), 'br-int').ports;
    expect(intPorts.map((p) => [p.name, p.type, p.tag, p.peer])).toEqual([
      ['br-int', 'internal', null, null],
      ['int-br-ex', 'patch', null, 'phy-br-ex'],
      ['patch-tun', 'patch', null, 'patch-int'],
      ['qg-9e9e9e9e-ee', 'internal', 2, null],
      ['qr-1a1a1a1a-aa', 'internal', 1, null],
      ['tapd0d0d0d0-dd', 'internal', 1, null],
    ]);
  });

  it('creates each mapped physnet bridge with its phy- patch port', () => {
    const index = indexOf({ hosts: [host(HOST1, 'c1', '', { physnet1: 'br-ex', physnet2: 'br-vlan' })] });
    const bridges = hostBridges(index, HOST1);
    expect(bridges.map((b) => b.name)).toEqual(['br-int', 'br-ex', 'br-vlan']);
    expect(bridgeOf(bridges, 'br-ex').ports).toEqual([
      { name: 'br-ex', type: 'internal', tag: null, peer: null, remoteIp: null, localIp: null },
      { name: 'phy-br-ex', type: 'patch', tag: null, peer: 'int-br-ex', remoteIp: null, localIp: null },
    ]);
    // No tunnel IP: no br-tun and no patch-tun.
    expect(bridgeOf(bridges, 'br-int').ports.map((p) => p.name)).toEqual(['br-int', 'int-br-ex', 'int-br-vlan']);
  });

  it('ignores ports bound elsewhere and unknown hosts', () => {
    expect(bridgeOf(hostBridges(workedExample(), HOST1), 'br-int').ports.some((p) => p.name.startsWith('qvob2b2'))).toBe(false);
    expect(hostBridges(workedExample(), HOST3)).toEqual([]);
  });
});
