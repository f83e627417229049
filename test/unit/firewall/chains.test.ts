import { portFirewall, linkLocalAddress, ipsetName, type PortFirewall } from '../../../src/domain/firewall/index.js';
import { DEFAULT_SG, WEB_SG, defaultGroup, indexOf, rule, vmPort, webGroup } from './fixtures.js';

const I = 'neutron-openvswi-i4874fb2a-1';
const O = 'neutron-openvswi-o4874fb2a-1';
const S = 'neutron-openvswi-s4874fb2a-1';
const ESTABLISHED = '-m state --state RELATED,ESTABLISHED -m comment --comment "Direct packets associated with a known session to the RETURN chain." -j RETURN';
const INVALID = '-m state --state INVALID -m comment --comment "Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack." -j DROP';
const FALLBACK = '-m comment --comment "Send unmatched traffic to the fallback chain." -j neutron-openvswi-sg-fallback';
const PAIR = '-m comment --comment "Allow traffic from defined IP/MAC pairs." -j RETURN';
const PAIR_DROP = '-m comment --comment "Drop traffic without an IP/MAC allow rule." -j DROP';

const rulesOf = (fw: { chains: { name: string; rules: string[] }[] }, name: string) => fw.chains.find((c) => c.name === name)?.rules;

/** The security group rules of the ingress chain, without the fixed lines around them. */
function ingressGroupRules(fw: PortFirewall): string[] {
  const rules = rulesOf(fw, I) ?? [];
  return rules.slice(rules.indexOf(ESTABLISHED) + 1, rules.indexOf(INVALID)).filter((r) => !r.includes('--sport 67 --dport 68'));
}

describe('portFirewall: iptables -S for a filtered port', () => {
  const index = indexOf({
    securityGroups: [defaultGroup(), webGroup([
      rule({ id: 'w1', securityGroupId: WEB_SG, protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '10.0.0.0/24' }),
    ])],
    groupMembers: { [DEFAULT_SG]: ['10.0.0.6', '10.0.0.5', '10.0.0.0/28', '2001:db8::6'] },
  });
  const fw = portFirewall(index, vmPort({ securityGroupIds: [DEFAULT_SG, WEB_SG] }));

  it('names the chains after 10 characters of the port id', () => {
    expect(fw.chains.map((c) => c.name)).toEqual([
      'neutron-openvswi-FORWARD', 'neutron-openvswi-INPUT', 'neutron-openvswi-i4874fb2a-1',
      'neutron-openvswi-o4874fb2a-1', 'neutron-openvswi-s4874fb2a-1', 'neutron-openvswi-sg-chain',
    ]);
  });

  it('renders the whole listing as iptables -S prints it', () => {
    expect(fw.text).toBe(`-N ${I}
-N ${O}
-N ${S}
-A neutron-openvswi-FORWARD -m physdev --physdev-out tap4874fb2a-1f --physdev-is-bridged -m comment --comment "Direct traffic from the VM interface to the security group chain." -j neutron-openvswi-sg-chain
-A neutron-openvswi-FORWARD -m physdev --physdev-in tap4874fb2a-1f --physdev-is-bridged -m comment --comment "Direct traffic from the VM interface to the security group chain." -j neutron-openvswi-sg-chain
-A neutron-openvswi-INPUT -m physdev --physdev-in tap4874fb2a-1f --physdev-is-bridged -m comment --comment "Direct incoming traffic from VM to the security group chain." -j ${O}
-A ${I} ${ESTABLISHED}
-A ${I} -d 10.0.0.5/32 -p udp -m udp --sport 67 --dport 68 -j RETURN
-A ${I} -d 255.255.255.255/32 -p udp -m udp --sport 67 --dport 68 -j RETURN
-A ${I} -m set --match-set NIPv4fc2d0b7b-3fbb-4b8a-a4e7- src -j RETURN
-A ${I} -s 10.0.0.0/24 -p tcp -m tcp --dport 22 -j RETURN
-A ${I} ${INVALID}
-A ${I} ${FALLBACK}
-A ${O} -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -m comment --comment "Allow DHCP client traffic." -j RETURN
-A ${O} -j ${S}
-A ${O} -p udp -m udp --sport 68 --dport 67 -m comment --comment "Allow DHCP client traffic." -j RETURN
-A ${O} -p udp -m udp --sport 67 --dport 68 -m comment --comment "Prevent DHCP Spoofing by VM." -j DROP
-A ${O} ${ESTABLISHED}
-A ${O} -j RETURN
-A ${O} ${INVALID}
-A ${O} ${FALLBACK}
-A ${S} -s 10.0.0.5/32 -m mac --mac-source FA:16:3E:AA:BB:CC ${PAIR}
-A ${S} ${PAIR_DROP}
-A neutron-openvswi-sg-chain -m physdev --physdev-out tap4874fb2a-1f --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j ${I}
-A neutron-openvswi-sg-chain -m physdev --physdev-in tap4874fb2a-1f --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j ${O}
`);
  });

  it('exports the ipsets the rules match on, with their members', () => {
    expect(fw.ipsets).toEqual([
      { name: 'NIPv4fc2d0b7b-3fbb-4b8a-a4e7-', securityGroupId: DEFAULT_SG, family: 'inet', members: ['10.0.0.0/28', '10.0.0.5', '10.0.0.6'] },
      { name: 'NIPv6fc2d0b7b-3fbb-4b8a-a4e7-', securityGroupId: DEFAULT_SG, family: 'inet6', members: ['2001:db8::6'] },
    ]);
  });

  it('renders the IPv6 side as ip6tables -S prints it', () => {
    expect(rulesOf(fw.ipv6, I)).toEqual([
      '-p ipv6-icmp -m icmp6 --icmpv6-type 130 -j RETURN',
      '-p ipv6-icmp -m icmp6 --icmpv6-type 135 -j RETURN',
      '-p ipv6-icmp -m icmp6 --icmpv6-type 136 -j RETURN',
      ESTABLISHED,
      '-d fe80::/64 -p udp -m udp --sport 547 --dport 546 -j RETURN',
      '-m set --match-set NIPv6fc2d0b7b-3fbb-4b8a-a4e7- src -j RETURN',
      INVALID,
      FALLBACK,
    ]);
    // An IPv4-only port has no IPv6 spoof chain, so its IPv6 egress chain has no jump to one.
    expect(fw.ipv6.text.split('\n').filter((l) => l.startsWith('-N '))).toEqual([`-N ${I}`, `-N ${O}`]);
    expect(rulesOf(fw.ipv6, O)).toEqual([
      '-s ::/128 -d ff02::/16 -p ipv6-icmp -m icmp6 --icmpv6-type 131 -m comment --comment "Allow IPv6 ICMP traffic." -j RETURN',
      '-s ::/128 -d ff02::/16 -p ipv6-icmp -m icmp6 --icmpv6-type 135 -m comment --comment "Allow IPv6 ICMP traffic." -j RETURN',
      '-s ::/128 -d ff02::/16 -p ipv6-icmp -m icmp6 --icmpv6-type 143 -m comment --comment "Allow IPv6 ICMP traffic." -j RETURN',
      '-p ipv6-icmp -m icmp6 --icmpv6-type 134 -m comment --comment "Drop IPv6 Router Advts from VM Instance." -j DROP',
      '-p ipv6-icmp -m comment --comment "Allow IPv6 ICMP traffic." -j RETURN',
      '-p udp -m udp --sport 546 --dport 547 -m comment --comment "Allow DHCP client traffic." -j RETURN',
      '-p udp -m udp --sport 547 --dport 546 -m comment --comment "Prevent DHCP Spoofing by VM." -j DROP',
      ESTABLISHED,
      '-j RETURN',
      INVALID,
      FALLBACK,
    ]);
  });
});

describe('portFirewall: one line per rule', () => {
  const render = (...rules: Parameters<typeof rule>[0][]) => {
    const index = indexOf({ securityGroups: [{ ...webGroup(), rules: rules.map(rule) }] });
    return portFirewall(index, vmPort({ securityGroupIds: [WEB_SG] }));
  };
  const r = (o: Partial<Parameters<typeof rule>[0]>) => ({ id: 'x', securityGroupId: WEB_SG, ...o });

  it('renders tcp/22 from a prefix', () => {
    const fw = render(r({ protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '10.0.0.0/24' }));
    expect(fw.text).toContain(`\n-A ${I} -s 10.0.0.0/24 -p tcp -m tcp --dport 22 -j RETURN\n`);
  });

  it('uses multiport for ranges, type/code for ICMP, and leaves out /0 prefixes', () => {
    const fw = render(
      r({ id: 'a', protocol: 'tcp', portRangeMin: 1000, portRangeMax: 2000 }),
      r({ id: 'b', protocol: 'udp', portRangeMin: 53, portRangeMax: 53, remoteIpPrefix: '0.0.0.0/0' }),
      r({ id: 'c', protocol: 'icmp', portRangeMin: 8, portRangeMax: 0 }),
      r({ id: 'd', protocol: 'icmp' }),
      r({ id: 'e', protocol: '47', remoteIpPrefix: '192.0.2.7' }),
      r({ id: 'f', protocol: 'tcp', remoteIpPrefix: '198.51.100.0/24' }),
    );
    expect(ingressGroupRules(fw)).toEqual([
      '-p tcp -m tcp -m multiport --dports 1000:2000 -j RETURN',
      '-p udp -m udp --dport 53 -j RETURN',
      '-p icmp -m icmp --icmp-type 8/0 -j RETURN',
      '-p icmp -j RETURN',
      '-s 192.0.2.7/32 -p gre -j RETURN',
      '-s 198.51.100.0/24 -p tcp -j RETURN',
    ]);
  });

  it('matches egress prefixes and groups on the destination', () => {
    const fw = render(
      r({ id: 'a', direction: 'EGRESS', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: '10.0.0.0/8' }),
      r({ id: 'b', direction: 'EGRESS', remoteGroupId: DEFAULT_SG }),
    );
    const egress = rulesOf(fw, O) ?? [];
    expect(egress.slice(egress.indexOf(ESTABLISHED) + 1, egress.indexOf(INVALID))).toEqual([
      '-d 10.0.0.0/8 -p tcp -m tcp --dport 5432 -j RETURN',
      `-m set --match-set ${ipsetName(DEFAULT_SG, 'IPV4')} dst -j RETURN`,
    ]);
  });

  it('keeps protocol and ports before the set match', () => {
    const fw = render(r({ protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteGroupId: DEFAULT_SG }));
    expect(ingressGroupRules(fw)).toEqual(['-p tcp -m tcp --dport 22 -m set --match-set NIPv4fc2d0b7b-3fbb-4b8a-a4e7- src -j RETURN']);
    expect(fw.ipsets).toEqual([{ name: 'NIPv4fc2d0b7b-3fbb-4b8a-a4e7-', securityGroupId: DEFAULT_SG, family: 'inet', members: [] }]);
  });

  it('renders IPv6 icmp rules as ipv6-icmp in ip6tables', () => {
    const fw = render(r({ ethertype: 'IPV6', protocol: 'icmp', portRangeMin: 128, portRangeMax: null, remoteIpPrefix: '2001:db8::/32' }));
    expect(rulesOf(fw.ipv6, I)).toContain('-s 2001:db8::/32 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j RETURN');
    expect(rulesOf(fw, I)?.some((l) => l.includes('icmp6'))).toBe(false);
  });
});

describe('portFirewall: anti-spoofing', () => {
  const dualStack = vmPort({
    fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.5' }, { subnetId: 's6', ipAddress: '2001:db8::5' }],
    allowedAddressPairs: [
      { ipAddress: '10.0.0.50', macAddress: null },
      { ipAddress: '192.168.5.0/24', macAddress: 'fa:16:3e:00:00:01' },
      { ipAddress: '2001:db8::50', macAddress: null },
    ],
  });
  const fw = portFirewall(indexOf({ securityGroups: [defaultGroup()] }), dualStack);

  it('computes the EUI-64 link-local address of a MAC', () => {
    expect(linkLocalAddress('fa:16:3e:aa:bb:cc')).toBe('fe80::f816:3eff:feaa:bbcc');
  });

  it('allows allowed address pairs, then fixed IPs, each with its MAC', () => {
    expect(rulesOf(fw, S)).toEqual([
      `-s 10.0.0.50/32 -m mac --mac-source FA:16:3E:AA:BB:CC ${PAIR}`,
      `-s 192.168.5.0/24 -m mac --mac-source FA:16:3E:00:00:01 ${PAIR}`,
      `-s 10.0.0.5/32 -m mac --mac-source FA:16:3E:AA:BB:CC ${PAIR}`,
      PAIR_DROP,
    ]);
  });

  it('adds the link-local address once per MAC on the IPv6 side', () => {
    expect(rulesOf(fw.ipv6, S)).toEqual([
      `-s 2001:db8::50/128 -m mac --mac-source FA:16:3E:AA:BB:CC ${PAIR}`,
      `-s fe80::f816:3eff:feaa:bbcc/128 -m mac --mac-source FA:16:3E:AA:BB:CC ${PAIR}`,
      `-s 2001:db8::5/128 -m mac --mac-source FA:16:3E:AA:BB:CC ${PAIR}`,
      PAIR_DROP,
    ]);
    expect(rulesOf(fw.ipv6, O)).toContain(`-j ${S}`);
  });

  it('lets router advertisements and DHCPv6 replies in on an IPv6 port', () => {
    expect(rulesOf(fw.ipv6, I)?.slice(4, 8)).toEqual([
      '-p ipv6-icmp -m icmp6 --icmpv6-type 134 -j RETURN',
      '-d 2001:db8::5/128 -p udp -m udp --sport 547 --dport 546 -j RETURN',
      '-d fe80::/64 -p udp -m udp --sport 547 --dport 546 -j RETURN',
      '-m set --match-set NIPv6fc2d0b7b-3fbb-4b8a-a4e7- src -j RETURN',
    ]);
  });

  it('allows the MAC alone on a port without fixed IPs', () => {
    const bare = portFirewall(indexOf({}), vmPort({ fixedIps: [], securityGroupIds: [] }));
    expect(rulesOf(bare, S)).toEqual([`-m mac --mac-source FA:16:3E:AA:BB:CC ${PAIR}`, PAIR_DROP]);
  });
});

describe('portFirewall: ports the driver does not filter', () => {
  it('only accepts, in FORWARD and INPUT, on a port with port security disabled', () => {
    const fw = portFirewall(indexOf({}), vmPort({ portSecurityEnabled: false, securityGroupIds: [] }));
    const accept = '-m comment --comment "Accept all packets when port security is disabled." -j ACCEPT';
    expect(fw.text).toBe([
      `-A neutron-openvswi-FORWARD -m physdev --physdev-out tap4874fb2a-1f --physdev-is-bridged ${accept}`,
      `-A neutron-openvswi-FORWARD -m physdev --physdev-in tap4874fb2a-1f --physdev-is-bridged ${accept}`,
      `-A neutron-openvswi-INPUT -m physdev --physdev-in tap4874fb2a-1f --physdev-is-bridged ${accept}`,
      '',
    ].join('\n'));
    expect(fw.ipv6.text).toBe(fw.text);
    expect(fw.ipsets).toEqual([]);
  });

  it('accepts trusted (network:*) ports in FORWARD', () => {
    const fw = portFirewall(indexOf({}), vmPort({ deviceOwner: 'network:dhcp', securityGroupIds: [] }));
    expect(fw.chains).toEqual([{
      name: 'neutron-openvswi-FORWARD',
      rules: [
        '-m physdev --physdev-out tap4874fb2a-1f --physdev-is-bridged -m comment --comment "Accept all packets when port is trusted." -j ACCEPT',
        '-m physdev --physdev-in tap4874fb2a-1f --physdev-is-bridged -m comment --comment "Accept all packets when port is trusted." -j ACCEPT',
      ],
    }]);
  });

  it('shows nothing for an unbound port', () => {
    const fw = portFirewall(indexOf({ securityGroups: [defaultGroup()] }), vmPort({ hostId: null }));
    expect(fw).toEqual({ chains: [], text: '', ipv6: { chains: [], text: '' }, ipsets: [] });
  });
});
