// Neutron 2026.1's own unit tests of the Open vSwitch firewall's rules
// (neutron/tests/unit/agent/linux/openvswitch_firewall/test_rules.py) and of
// port_rule_masking (neutron/tests/unit/common/test_utils.py,
// TestPortRuleMasking), with their inputs and expected values, for what the
// model renders (docs/neutron-model.md, "The Open vSwitch firewall driver").
// Not taken: the source port range cases (the model's rules have none) and
// the mocks of create_protocol_flows.
import {
  createConjFlows, createFlowsForIpAddress, createFlowsFromRuleAndPort, flowPriorityOffset, mergeCommonRules, mergePortRanges, portRuleMasking,
  type FirewallPort, type FirewallRule, type FlowFields, type Merged, type PortMatch,
} from '../../../src/domain/plumbing/ovsFirewallFlows.js';

const ETHERTYPE_IP = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const TCP = 6;
const ICMP = 1;
const IPV6_ICMP = 58;

/** The tests' OFPort: ofport 1, MAC 00:00:00:00:00:00. */
const port: FirewallPort = {
  name: 'tap-port_id', ofport: 1, vlanTag: 0x123, mac: '00:00:00:00:00:00', fixedIps: [], allowedPairs: [], networkType: 'VXLAN', segmentId: null,
};

/** Neutron's hex form of a port match (_hex_format: '#06x'). */
const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
const neutronPort = (p: PortMatch) => (typeof p === 'number' ? hex4(p) : `${hex4(p.value)}/${hex4(p.mask)}`);

/** A flow in the shape the Neutron tests state it: ofport numbers in actions, ports under <protocol>_dst. */
function asNeutron(f: FlowFields): Record<string, unknown> {
  const { tp_dst: tpDst, ...rest } = f;
  const out: Record<string, unknown> = { ...rest, actions: f.actions.replaceAll(`output:"${port.name}"`, `output:${port.ofport}`) };
  if (tpDst !== undefined) out.tcp_dst = neutronPort(tpDst);
  return out;
}

const pick = (f: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in f).map((k) => [k, f[k]]));

describe('TestCreateFlowsFromRuleAndPort: the flow template', () => {
  const TEMPLATE_KEYS = ['priority', 'dl_type', 'reg_port', 'nw_src', 'nw_dst', 'ipv6_src', 'ipv6_dst'];
  it.each<[string, FirewallRule, Record<string, unknown>]>([
    ['test_create_flows_from_rule_and_port_no_ip_ipv4', { ethertype: 'IPv4', direction: 'ingress' }, { priority: 74, dl_type: ETHERTYPE_IP, reg_port: 1 }],
    ['test_create_flows_from_rule_and_port_src_and_dst_ipv4',
      { ethertype: 'IPv4', direction: 'ingress', source_ip_prefix: '192.168.0.0/24', dest_ip_prefix: '10.0.0.1/32' },
      { priority: 74, dl_type: ETHERTYPE_IP, reg_port: 1, nw_src: '192.168.0.0/24', nw_dst: '10.0.0.1/32' }],
    ['test_create_flows_from_rule_and_port_src_and_dst_with_zero_ipv4',
      { ethertype: 'IPv4', direction: 'ingress', source_ip_prefix: '192.168.0.0/24', dest_ip_prefix: '0.0.0.0/0' },
      { priority: 74, dl_type: ETHERTYPE_IP, reg_port: 1, nw_src: '192.168.0.0/24' }],
    ['test_create_flows_from_rule_and_port_no_ip_ipv6', { ethertype: 'IPv6', direction: 'ingress' }, { priority: 74, dl_type: ETHERTYPE_IPV6, reg_port: 1 }],
    ['test_create_flows_from_rule_and_port_src_and_dst_ipv6',
      { ethertype: 'IPv6', direction: 'ingress', source_ip_prefix: '2001:db8:bbbb::1/64', dest_ip_prefix: '2001:db8:aaaa::1/64' },
      { priority: 74, dl_type: ETHERTYPE_IPV6, reg_port: 1, ipv6_src: '2001:db8:bbbb::1/64', ipv6_dst: '2001:db8:aaaa::1/64' }],
    ['test_create_flows_from_rule_and_port_src_and_dst_with_zero_ipv6',
      { ethertype: 'IPv6', direction: 'ingress', source_ip_prefix: '2001:db8:bbbb::1/64', dest_ip_prefix: '::/0' },
      { priority: 74, dl_type: ETHERTYPE_IPV6, reg_port: 1, ipv6_src: '2001:db8:bbbb::1/64' }],
  ])('%s', (_, rule, expected) => {
    const [first] = createFlowsFromRuleAndPort(rule, port);
    expect(pick(asNeutron(first), TEMPLATE_KEYS)).toEqual(expected);
  });
});

describe('TestCreateProtocolFlows: table, actions and protocol fields', () => {
  const EGRESS = { table: 72, actions: 'resubmit(,73)' };
  const PROTOCOL_KEYS = ['table', 'actions', 'nw_proto', 'tcp_dst', 'icmp_type', 'icmp_code'];
  it.each<[string, FirewallRule, Record<string, unknown>[]]>([
    ['test_create_protocol_flows_ingress', { direction: 'ingress', ethertype: 'IPv4', protocol: TCP }, [{ table: 82, actions: 'output:1', nw_proto: TCP }]],
    ['test_create_protocol_flows_egress', { direction: 'egress', ethertype: 'IPv4', protocol: TCP }, [{ ...EGRESS, nw_proto: TCP }]],
    ['test_create_protocol_flows_no_protocol', { direction: 'egress', ethertype: 'IPv4' }, [EGRESS]],
    ['test_create_protocol_flows_icmp6', { direction: 'egress', ethertype: 'IPv6', protocol: IPV6_ICMP }, [{ ...EGRESS, nw_proto: IPV6_ICMP }]],
    ['test_create_protocol_flows_port_range', { direction: 'egress', ethertype: 'IPv4', protocol: TCP, port_range_min: 22, port_range_max: 23 },
      [{ ...EGRESS, nw_proto: TCP, tcp_dst: '0x0016/0xfffe' }]],
    ['test_create_protocol_flows_icmp', { direction: 'egress', ethertype: 'IPv4', protocol: ICMP, port_range_min: 0 }, [{ ...EGRESS, nw_proto: ICMP, icmp_type: 0 }]],
    ['test_create_protocol_flows_ipv6_icmp', { direction: 'egress', ethertype: 'IPv6', protocol: IPV6_ICMP, port_range_min: 5, port_range_max: 0 },
      [{ ...EGRESS, nw_proto: IPV6_ICMP, icmp_type: 5, icmp_code: 0 }]],
  ])('%s', (_, rule, expected) => {
    expect(createFlowsFromRuleAndPort(rule, port).map((f) => pick(asNeutron(f), PROTOCOL_KEYS))).toEqual(expected);
  });

  it('test_create_port_range_flows_with_destination: 10-11 is one masked match', () => {
    const flows = createFlowsFromRuleAndPort({ direction: 'egress', ethertype: 'IPv4', protocol: TCP, port_range_min: 10, port_range_max: 11 }, port);
    expect(flows.map((f) => asNeutron(f).tcp_dst)).toEqual(['0x000a/0xfffe']);
  });

  it('test_create_port_range_flows_without_port_range: no port match', () => {
    expect(createFlowsFromRuleAndPort({ direction: 'egress', ethertype: 'IPv4', protocol: TCP }, port).map((f) => asNeutron(f).tcp_dst)).toEqual([undefined]);
  });
});

describe('TestCreateFlowsForIpAddress, TestCreateConjFlows', () => {
  it('test_create_flows_for_ip_address_egress', () => {
    const flows = createFlowsForIpAddress('192.168.0.1', 'egress', 'IPv4', 0x123, [12, 20]);
    expect(flows.map((f) => [f.ct_state, f.actions])).toEqual([
      ['+est-rel-rpl', 'conjunction(12,1/2),conjunction(20,1/2)'],
      ['+new-est', 'conjunction(13,1/2),conjunction(21,1/2)'],
    ]);
    for (const { ct_state: _s, actions: _a, ...rest } of flows) {
      expect(rest).toEqual({ table: 72, priority: 72, dl_type: ETHERTYPE_IP, reg_net: 0x123, nw_dst: '192.168.0.1/32' });
    }
  });

  it('test_create_conj_flows', () => {
    const flows = createConjFlows(port, 1234, 'ingress', 'IPv6').map(asNeutron);
    expect(flows.map((f) => [f.ct_state, f.actions])).toEqual([
      ['+est-rel-rpl', 'output:1'],
      ['+new-est', 'ct(commit,zone=NXM_NX_REG6[0..15]),output:1,resubmit(,92)'],
    ]);
    expect(flows.map(({ ct_state: _s, actions: _a, ...rest }) => rest)).toEqual([
      { table: 82, dl_type: ETHERTYPE_IPV6, priority: 71, conj_id: 1234, reg_port: 1 },
      { table: 82, dl_type: ETHERTYPE_IPV6, priority: 71, conj_id: 1235, reg_port: 1 },
    ]);
  });
});

describe('TestMergeRules', () => {
  const tcp = (min?: number, max?: number): FirewallRule => ({
    direction: 'ingress', ethertype: 'IPv4', protocol: TCP, ...(min !== undefined ? { port_range_min: min } : {}), ...(max !== undefined ? { port_range_max: max } : {}),
  });
  const ranges = (merged: Merged[]) => merged.map(({ rule, conjIds }) => [rule.port_range_min ?? null, rule.port_range_max ?? null, [...conjIds].sort((a, b) => a - b)]);

  it.each<[string, [FirewallRule, number][], [number | null, number | null, number[]][]]>([
    ['test_merge_port_ranges_overlapping', [[tcp(20, 30), 6], [tcp(30, 40), 14], [tcp(35, 40), 22], [tcp(20, 20), 30]],
      [[20, 20, [6, 30]], [21, 29, [6]], [30, 30, [6, 14]], [31, 34, [14]], [35, 40, [14, 22]]]],
    ['test_merge_port_ranges_no_port_ranges', [[tcp(), 10], [tcp(), 12], [tcp(30, 40), 4]],
      [[1, 29, [10, 12]], [30, 40, [4, 10, 12]], [41, 65535, [10, 12]]]],
    ['test_merge_port_ranges_no_port_ranges_same_conj_id', [[tcp(), 10], [tcp(), 12], [tcp(30, 30), 10]], [[null, null, [10, 12]]]],
    ['test_merge_port_ranges_nonoverlapping', [[tcp(30, 40), 32], [tcp(100, 140), 40]], [[30, 40, [32]], [100, 140, [40]]]],
  ])('%s', (_, list, expected) => {
    expect(ranges(mergePortRanges(list.map(([rule, conjId]) => ({ rule, conjId }))))).toEqual(expected);
  });

  it('test_merge_common_rules', () => {
    const icmp = (extra: Partial<FirewallRule> = {}): FirewallRule => ({ direction: 'ingress', ethertype: 'IPv4', protocol: ICMP, ...extra });
    const merged = mergeCommonRules([
      { rule: icmp(), conjId: 8 }, { rule: icmp({ port_range_min: 3 }), conjId: 16 },
      { rule: icmp({ port_range_min: 3, port_range_max: 0 }), conjId: 40 }, { rule: icmp(), conjId: 24 },
    ]);
    expect(merged).toEqual(expect.arrayContaining([
      { rule: icmp(), conjIds: [8, 24] },
      { rule: icmp({ port_range_min: 3 }), conjIds: [16] },
      { rule: icmp({ port_range_min: 3, port_range_max: 0 }), conjIds: [40] },
    ]));
    expect(merged).toHaveLength(3);
  });
});

describe('TestFlowPriority', () => {
  it.each<[FirewallRule, number]>([
    [{ direction: 'ingress', ethertype: 'IPv4', remote_group_id: 'hoge' }, 0],
    [{ direction: 'ingress', ethertype: 'IPv4' }, 4],
    [{ direction: 'ingress', ethertype: 'IPv4', protocol: ICMP }, 5],
    [{ direction: 'ingress', ethertype: 'IPv4', protocol: TCP }, 7],
    [{ direction: 'ingress', ethertype: 'IPv4', protocol: ICMP, port_range_min: 0 }, 6],
    [{ direction: 'ingress', ethertype: 'IPv6', protocol: IPV6_ICMP, port_range_min: 0, port_range_max: 0 }, 7],
  ])('test_flow_priority_offset: %j -> %i', (rule, offset) => {
    expect(flowPriorityOffset(rule)).toBe(offset);
  });
});

describe('TestPortRuleMasking', () => {
  it('test_port_rule_wrong_input', () => {
    expect(() => portRuleMasking(12, 5)).toThrow(RangeError);
  });

  // The Neutron test compares with a brute-force reference; here: the matches cover exactly the range, each port once.
  it.each([[5, 12], [20, 130], [4501, 33057], [0, 65535], [22, 22], [5001, 5001], [0, 7], [8, 15], [1, 127]])(
    'test_port_rule_masking_edge_cases: %i-%i', (min, max) => {
      const matches = portRuleMasking(min, max).map((m) => (typeof m === 'number' ? { value: m, mask: 0xffff } : m));
      const wrong: number[] = [];
      for (let p = 0; p <= 65535; p++) {
        const hits = matches.filter(({ value, mask }) => (p & mask) === value).length;
        if (hits !== (p >= min && p <= max ? 1 : 0)) wrong.push(p);
      }
      expect(wrong).toEqual([]);
    },
  );
});
