// The comments the driver attaches to its fixed rules (neutron
// agent/linux/iptables_comments.py); iptables -S prints them as
// `-m comment --comment "..."` right before the target.

export const IPTABLES_COMMENT = {
  vmToSgChain: 'Direct traffic from the VM interface to the security group chain.',
  sgChainToVm: 'Jump to the VM specific chain.',
  inputToSg: 'Direct incoming traffic from VM to the security group chain.',
  pairAllow: 'Allow traffic from defined IP/MAC pairs.',
  pairDrop: 'Drop traffic without an IP/MAC allow rule.',
  dhcpClient: 'Allow DHCP client traffic.',
  dhcpSpoof: 'Prevent DHCP Spoofing by VM.',
  unmatched: 'Send unmatched traffic to the fallback chain.',
  invalidDrop:
    'Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack.',
  established: 'Direct packets associated with a known session to the RETURN chain.',
  portSecurityAccept: 'Accept all packets when port security is disabled.',
  trustedAccept: 'Accept all packets when port is trusted.',
  ipv6RaDrop: 'Drop IPv6 Router Advts from VM Instance.',
  ipv6IcmpAllow: 'Allow IPv6 ICMP traffic.',
} as const;

/** Adds a comment to a rule spec where iptables -S shows it: after the matches, before `-j`. */
export function withComment(spec: string, comment: string): string {
  const match = `-m comment --comment "${comment}"`;
  if (spec.startsWith('-j ')) return `${match} ${spec}`;
  const jump = spec.lastIndexOf(' -j ');
  return `${spec.slice(0, jump)} ${match}${spec.slice(jump)}`;
}
