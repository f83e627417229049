import { DEVICE_OWNER } from '../../../src/domain/model.js';
import { hostFlows, linkLocalAddress, renderDumpFlows } from '../../../src/domain/plumbing/index.js';
import {
  dhcpPort,
  EXT_NET,
  HOST1,
  host,
  indexOf,
  NET1,
  NET2,
  network,
  port,
  ROUTER1,
  routerPort,
  SUBNET1,
  VM_PORT,
  vlan,
} from './fixtures.js';

const DEFAULTS = [
  ' table=0, priority=65535,dl_vlan=4095 actions=drop',
  ' table=0, priority=0 actions=resubmit(,58)',
  ' table=23, priority=0 actions=drop',
  ' table=24, priority=0 actions=drop',
  ' table=30, priority=0 actions=resubmit(,58)',
  ' table=31, priority=0 actions=resubmit(,58)',
  ' table=58, priority=0 actions=resubmit(,59)',
  ' table=59, priority=0 actions=resubmit(,60)',
  ' table=60, priority=1 actions=NORMAL',
  ' table=62, priority=3 actions=NORMAL',
];

/** The dump's lines without their cookie (tested in dumpFlows.test.ts). */
const lines = (index: ReturnType<typeof indexOf>, bridge: string) =>
  renderDumpFlows(hostFlows(index, HOST1, bridge)).split('\n').filter(Boolean).map((l) => l.replace(/^ cookie=0x[0-9a-f]+,/, ''));

describe('br-int flows', () => {
  it('drops the dead VLAN and switches NORMAL through tables 58, 59 and 60', () => {
    const index = indexOf({ hosts: [host(HOST1, 'c1', '10.0.0.11')] });
    expect(lines(index, 'br-int')).toEqual(DEFAULTS);
  });

  it('installs ARP, neighbour advertisement and MAC anti-spoofing for a VM port', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11')],
      networks: [network(NET1)],
      ports: [
        port(VM_PORT, NET1, HOST1, {
          macAddress: 'fa:16:3e:11:22:33',
          fixedIps: [{ subnetId: SUBNET1, ipAddress: '10.1.0.5' }],
          allowedAddressPairs: [{ ipAddress: '10.1.0.128/25', macAddress: null }],
        }),
      ],
      localVlans: [vlan(HOST1, NET1, 1)],
    });
    const q = '"qvo4874fb2a-1f"';
    expect(lines(index, 'br-int')).toEqual([
      ' table=0, priority=65535,dl_vlan=4095 actions=drop',
      ` table=0, priority=10,icmp6,in_port=${q},icmp_type=136 actions=resubmit(,24)`,
      ` table=0, priority=10,arp,in_port=${q} actions=resubmit(,24)`,
      ` table=0, priority=9,in_port=${q} actions=resubmit(,25)`,
      ' table=0, priority=0 actions=resubmit(,58)',
      ' table=23, priority=0 actions=drop',
      ` table=24, priority=2,icmp6,in_port=${q},icmp_type=136,nd_target=fe80::f816:3eff:fe11:2233 actions=resubmit(,58)`,
      ` table=24, priority=2,arp,in_port=${q},arp_spa=10.1.0.5 actions=resubmit(,25)`,
      ` table=24, priority=2,arp,in_port=${q},arp_spa=10.1.0.128/25 actions=resubmit(,25)`,
      ' table=24, priority=0 actions=drop',
      ` table=25, priority=2,in_port=${q},dl_src=fa:16:3e:11:22:33 actions=resubmit(,30)`,
      ' table=30, priority=0 actions=resubmit(,58)',
      ' table=31, priority=0 actions=resubmit(,58)',
      ' table=58, priority=0 actions=resubmit(,59)',
      ' table=59, priority=0 actions=resubmit(,60)',
      ' table=60, priority=1 actions=NORMAL',
      ' table=62, priority=3 actions=NORMAL',
    ]);
  });

  it('skips anti-spoofing for network:* ports, ports without port security and dead ports', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'n1', '10.0.0.11')],
      networks: [network(NET1), network(NET2, { segmentationId: 58 })],
      ports: [
        routerPort('1a1a1a1a-aaaa-4000-8000-000000000001', NET1, HOST1, ROUTER1, DEVICE_OWNER.routerInterface, { portSecurityEnabled: true }),
        dhcpPort('d0d0d0d0-dddd-4000-8000-000000000001', NET1, HOST1, { portSecurityEnabled: true }),
        port(VM_PORT, NET1, HOST1, { portSecurityEnabled: false }),
        port('b2b2b2b2-2222-4000-8000-000000000002', NET2, HOST1),
      ],
      localVlans: [vlan(HOST1, NET1, 1)],
    });
    expect(lines(index, 'br-int')).toEqual(DEFAULTS);
  });

  it('gives IPv6 ports their addresses and link-local address as ND targets', () => {
    expect(linkLocalAddress('fa:16:3e:00:0b:34')).toBe('fe80::f816:3eff:fe00:b34');
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11')],
      networks: [network(NET1)],
      ports: [port(VM_PORT, NET1, HOST1, { macAddress: 'fa:16:3e:00:0b:34', fixedIps: [{ subnetId: 's6', ipAddress: '2001:db8::5' }] })],
      localVlans: [vlan(HOST1, NET1, 1)],
    });
    expect(lines(index, 'br-int').filter((l) => l.startsWith(' table=24, priority=2'))).toEqual([
      ' table=24, priority=2,icmp6,in_port="qvo4874fb2a-1f",icmp_type=136,nd_target=2001:db8::5 actions=resubmit(,58)',
      ' table=24, priority=2,icmp6,in_port="qvo4874fb2a-1f",icmp_type=136,nd_target=fe80::f816:3eff:fe00:b34 actions=resubmit(,58)',
    ]);
  });

  it('installs no ARP or ND protection when an address pair allows 0.0.0.0/0', () => {
    const index = indexOf({
      hosts: [host(HOST1, 'c1', '10.0.0.11')],
      networks: [network(NET1)],
      ports: [port(VM_PORT, NET1, HOST1, { allowedAddressPairs: [{ ipAddress: '0.0.0.0/0', macAddress: 'fa:16:3e:99:99:99' }] })],
      localVlans: [vlan(HOST1, NET1, 1)],
    });
    const flows = lines(index, 'br-int');
    expect(flows.filter((l) => / table=(24|25), priority=2|priority=(9|10),/.test(l))).toEqual([
      ' table=0, priority=9,in_port="qvo4874fb2a-1f" actions=resubmit(,25)',
      ' table=25, priority=2,in_port="qvo4874fb2a-1f",dl_src=fa:16:3e:00:00:01 actions=resubmit(,30)',
      ' table=25, priority=2,in_port="qvo4874fb2a-1f",dl_src=fa:16:3e:99:99:99 actions=resubmit(,30)',
    ]);
  });
});

describe('provider network translation', () => {
  const index = indexOf({
    hosts: [host(HOST1, 'n1', '10.0.0.11', { physnet1: 'br-ex', physnet2: 'br-vlan' })],
    networks: [
      network(NET1, { networkType: 'VLAN', segmentationId: 101, physicalNetwork: 'physnet2' }),
      network(EXT_NET, { networkType: 'FLAT', segmentationId: null, physicalNetwork: 'physnet1', external: true }),
      network(NET2, { networkType: 'VLAN', segmentationId: 102, physicalNetwork: 'physnet2' }),
    ],
    localVlans: [vlan(HOST1, NET1, 1), vlan(HOST1, EXT_NET, 2)],
  });

  it('maps the provider VLAN to the local one on br-int and drops the rest of int-<bridge>', () => {
    expect(lines(index, 'br-int').filter((l) => l.startsWith(' table=0,'))).toEqual([
      ' table=0, priority=65535,dl_vlan=4095 actions=drop',
      ' table=0, priority=3,in_port="int-br-ex",vlan_tci=0x0000/0x1fff actions=mod_vlan_vid:2,resubmit(,58)',
      ' table=0, priority=3,in_port="int-br-vlan",dl_vlan=101 actions=mod_vlan_vid:1,resubmit(,58)',
      ' table=0, priority=2,in_port="int-br-ex" actions=drop',
      ' table=0, priority=2,in_port="int-br-vlan" actions=drop',
      ' table=0, priority=0 actions=resubmit(,58)',
    ]);
  });

  it('maps the local VLAN back to the provider VLAN on the physnet bridge (flat: untagged)', () => {
    expect(lines(index, 'br-vlan')).toEqual([
      ' table=0, priority=4,in_port="phy-br-vlan",dl_vlan=1 actions=mod_vlan_vid:101,NORMAL',
      ' table=0, priority=2,in_port="phy-br-vlan" actions=drop',
      ' table=0, priority=0 actions=NORMAL',
    ]);
    expect(lines(index, 'br-ex')).toEqual([
      ' table=0, priority=4,in_port="phy-br-ex",dl_vlan=2 actions=strip_vlan,NORMAL',
      ' table=0, priority=2,in_port="phy-br-ex" actions=drop',
      ' table=0, priority=0 actions=NORMAL',
    ]);
    expect(hostFlows(index, HOST1, 'br-nope')).toEqual([]);
  });
});
