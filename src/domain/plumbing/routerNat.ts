// The nat table of a legacy router's namespace, as `ip netns exec
// qrouter-<id> iptables -t nat -S` prints it after the current L3 agent
// (router_info.py, iptables_manager.py, metadata driver; docs/neutron-model.md,
// "Paths: routing in qrouter namespaces" and "Paths: metadata").
//
// Chain structure: iptables_manager wraps the built-in chains into
// neutron-l3-agent-<chain> and routes POSTROUTING through the shared
// neutron-postrouting-bottom into neutron-l3-agent-snat, whose first rule
// jumps to neutron-l3-agent-float-snat. That is why a VM with a floating IP
// always leaves with it, and only the others leave as the gateway IP.
//
// Configuration modelled: metadata proxy on port 9697, external_ingress_mark
// 0x2, and iptables >= 1.6.2 with use_random_fully (the default), which adds
// --random-fully to every SNAT rule. The rule keeping traffic that does not
// leave by qg un-NATed is `! -o qg-… -m conntrack ! --ctstate DNAT -j
// ACCEPT` (older agents also had `! -i qg-…` in front).

import { METADATA_IP, METADATA_PROXY_PORT, METADATA_SERVICE_PORT } from '../metadata.js';

const WRAP = 'neutron-l3-agent';
const BOTTOM = 'neutron-postrouting-bottom';
const EXTERNAL_INGRESS_MARK = '0x2/0xffff';
const RANDOM_FULLY = ' --random-fully';

const BUILTIN_CHAINS = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] as const;
const wrapped = (chain: string) => `${WRAP}-${chain}`;

export interface RouterNatInput {
  /** The qg device and its (first) IPv4 address; null without a gateway. */
  gateway: { device: string; ip: string } | null;
  enableSnat: boolean;
  /** Associated floating IPs, in the order the agent processes them. */
  floatingIps: { floatingIp: string; fixedIp: string }[];
}

/** The `iptables -t nat -S` lines, in iptables' order: policies, chains, then rules chain by chain. */
export function routerNatRules(input: RouterNatInput): string[] {
  const rules = new Map<string, string[]>([
    ['PREROUTING', [`-j ${wrapped('PREROUTING')}`]],
    ['INPUT', []],
    ['OUTPUT', [`-j ${wrapped('OUTPUT')}`]],
    ['POSTROUTING', [`-j ${wrapped('POSTROUTING')}`, `-j ${BOTTOM}`]],
    [wrapped('OUTPUT'), []],
    [wrapped('POSTROUTING'), []],
    [wrapped('PREROUTING'), [`-d ${METADATA_IP}/32 -i qr-+ -p tcp -m tcp --dport ${METADATA_SERVICE_PORT} -j REDIRECT --to-ports ${METADATA_PROXY_PORT}`]],
    [wrapped('float-snat'), []],
    [wrapped('snat'), [`-j ${wrapped('float-snat')}`]],
    [BOTTOM, [`-m comment --comment "Perform source NAT on outgoing traffic." -j ${wrapped('snat')}`]],
  ]);
  const add = (chain: string, rule: string) => rules.get(chain)!.push(rule);

  const gw = input.gateway;
  if (gw) {
    if (input.enableSnat) add(wrapped('snat'), `-o ${gw.device} -j SNAT --to-source ${gw.ip}${RANDOM_FULLY}`);
    add(wrapped('POSTROUTING'), `! -o ${gw.device} -m conntrack ! --ctstate DNAT -j ACCEPT`);
    add(
      wrapped('snat'),
      `-m mark ! --mark ${EXTERNAL_INGRESS_MARK} -m conntrack --ctstate DNAT -j SNAT --to-source ${gw.ip}${RANDOM_FULLY}`,
    );
    // Floating IPs are only processed for a router with a gateway.
    for (const { floatingIp, fixedIp } of input.floatingIps) {
      add(wrapped('PREROUTING'), `-d ${floatingIp}/32 -j DNAT --to-destination ${fixedIp}`);
      add(wrapped('OUTPUT'), `-d ${floatingIp}/32 -j DNAT --to-destination ${fixedIp}`);
      add(wrapped('float-snat'), `-s ${fixedIp}/32 -j SNAT --to-source ${floatingIp}${RANDOM_FULLY}`);
    }
  }

  const userChains = [...rules.keys()].filter((c) => !(BUILTIN_CHAINS as readonly string[]).includes(c)).sort();
  const lines = BUILTIN_CHAINS.map((c) => `-P ${c} ACCEPT`);
  for (const c of userChains) lines.push(`-N ${c}`);
  for (const c of [...BUILTIN_CHAINS, ...userChains]) {
    for (const rule of rules.get(c)!) lines.push(`-A ${c} ${rule}`);
  }
  return lines;
}
