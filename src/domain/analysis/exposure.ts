// What of a project is open to the world: each VM port that a packet from
// the internet reaches, through which floating IP (or the physical gateway
// of a provider subnet) and router, and for which rule. Each rule that
// admits the internet's address is probed with a traced packet, so that
// routing, NAT and the port's state count as they do for `path`.
import { isVmPort, type Port, type SecurityGroupRule } from '../model.js';
import { portRules, unfilteredReason } from '../firewall/policy.js';
import { describeRule } from '../firewall/index.js';
import { tracePath, type Flow } from '../path/index.js';
import { floatingIpOfPort } from '../path/routing.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { probeFlow, remoteHolds } from './ruleFlows.js';

export interface Exposure {
  port: Port;
  instanceName: string | null;
  /** The address the internet uses: the floating IP, or the fixed IP on a provider subnet. */
  address: string;
  fixedIp: string;
  floatingIp: string | null;
  /** Names (else ids) of the routers the packet went through. */
  routers: string[];
  /** The rule that lets it in; null when the port is not filtered (port security disabled). */
  rule: SecurityGroupRule | null;
  securityGroup: string | null;
  /** The rule's protocol (null: any) and port range, as the rule has them. */
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  /** Why: the rule in words, and the traced packet's explanation. */
  reason: string;
  explanation: string;
}

export interface ExposureResult {
  /** The project's VM ports examined. */
  portsChecked: number;
  exposures: Exposure[];
}

interface Opening {
  rule: SecurityGroupRule | null;
  group: string | null;
  flow: Flow;
  reason: string;
}

/** The ways in a port's rules leave open to `internet`: each admitting ingress rule, or everything when unfiltered. */
function openings(index: TopologyIndex, port: Port, internet: string): Opening[] {
  if (unfilteredReason(port) !== null) {
    return [{ rule: null, group: null, flow: { protocol: 'ANY', destinationPort: null }, reason: 'port security disabled: nothing is filtered' }];
  }
  return portRules(index, port).flatMap(({ rule, group }) => {
    if (rule.direction !== 'INGRESS' || !remoteHolds(rule, internet)) return [];
    const flow = probeFlow(rule);
    return flow ? [{ rule, group: group.name, flow, reason: describeRule(rule, group.name) }] : [];
  });
}

/** `internet`: an address outside every modelled network; the index is an admin's (the answer names only the project's own ports). */
export function analyzeExposure(index: TopologyIndex, projectId: string, internet: string): ExposureResult {
  const ports = index.topology.ports.filter((p) => p.projectId === projectId && isVmPort(p)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const exposures: Exposure[] = [];
  for (const port of ports) {
    for (const opening of openings(index, port, internet)) {
      const path = tracePath(index, { ipAddress: internet }, { portId: port.id }, opening.flow, null);
      if (path.verdict !== 'DELIVERED') continue;
      const fixedIp = firstIpv4(port);
      const fip = fixedIp ? floatingIpOfPort(index, port.id, fixedIp) : null;
      exposures.push({
        port,
        instanceName: port.instanceId ? index.instances.get(port.instanceId)?.name ?? null : null,
        address: fip?.floatingIpAddress ?? fixedIp ?? port.fixedIps[0]?.ipAddress ?? '',
        fixedIp: fixedIp ?? port.fixedIps[0]?.ipAddress ?? '',
        floatingIp: fip?.floatingIpAddress ?? null,
        routers: path.routerIds.map((id) => index.routers.get(id)?.name || id),
        rule: opening.rule,
        securityGroup: opening.group,
        protocol: opening.rule ? opening.rule.protocol : null,
        portRangeMin: opening.rule?.portRangeMin ?? null,
        portRangeMax: opening.rule ? opening.rule.portRangeMax ?? opening.rule.portRangeMin : null,
        reason: opening.reason,
        explanation: path.explanation,
      });
    }
  }
  return { portsChecked: ports.length, exposures };
}

/** The fixed IP an IPv4 packet from outside is for: the port's first IPv4 address, as path picks it. */
function firstIpv4(port: Port): string | null {
  return port.fixedIps.find((f) => !f.ipAddress.includes(':'))?.ipAddress ?? null;
}
