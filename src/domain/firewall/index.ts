// Security groups as the hybrid OVS iptables driver and the Open vSwitch firewall driver enforce them.
export {
  evaluateEgress, evaluateIngress, describeRule, FLOW_PROTOCOLS, flowProtocolNumber, hasPorts,
  type Flow, type FlowProtocol, type FirewallDecision,
} from './evaluate.js';
export { portFirewall, type PortFirewall, type IptablesChain, type IptablesListing } from './chains.js';
export { ipsetName, ipsetOf, isGroupMember, type IpSet } from './remoteGroups.js';
export { macSources, linkLocalAddress, type MacSource } from './antiSpoofing.js';
export { unfilteredReason, type UnfilteredReason } from './policy.js';
export { portOpenFlow } from './openflow.js';
