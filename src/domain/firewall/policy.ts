// A port's security group policy: which groups apply, in which order, and
// whether the port is filtered at all (docs/neutron-model.md, "Security groups
// (hybrid iptables driver)" and "Ports").
import type { Port, SecurityGroupRule } from '../model.js';
import type { TopologyIndex } from '../topologyIndex.js';

export interface PortGroup {
  id: string;
  /** The group's name, or its id when the snapshot does not hold the group. */
  name: string;
  rules: SecurityGroupRule[];
}

export interface PolicyRule {
  rule: SecurityGroupRule;
  group: PortGroup;
}

export type UnfilteredReason = 'network-owner' | 'port-security-disabled';

/**
 * Why the hybrid driver leaves a port unfiltered, or null when it filters
 * it. `network:*` owners are "trusted" ports; port security off makes the
 * port an unfiltered one.
 */
export function unfilteredReason(port: Port): UnfilteredReason | null {
  if (port.deviceOwner.startsWith('network:')) return 'network-owner';
  if (!port.portSecurityEnabled) return 'port-security-disabled';
  return null;
}

/** The port's groups in port.securityGroupIds order, each once. */
export function portGroups(index: TopologyIndex, port: Port): PortGroup[] {
  return [...new Set(port.securityGroupIds)].map((id) => {
    const group = index.securityGroups.get(id);
    return { id, name: group?.name ?? id, rules: group?.rules ?? [] };
  });
}

/** The union of the rules of the port's groups: group order, then rule id. */
export function portRules(index: TopologyIndex, port: Port): PolicyRule[] {
  return portGroups(index, port).flatMap((group) =>
    [...group.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((rule) => ({ rule, group })),
  );
}

export const portLabel = (port: Port) => (port.name ? `${port.name} (${port.id})` : port.id);

/** A group's name for messages, falling back to its id. */
export const groupName = (index: TopologyIndex, groupId: string) => index.securityGroups.get(groupId)?.name ?? groupId;
