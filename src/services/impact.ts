// What a host failure breaks: its instances, the routers and DHCP it hosts,
// and the instance pairs of the projects involved whose paths it breaks.
import type { Config } from '../config.js';
import { DEVICE_OWNER } from '../domain/model.js';
import type { Prisma } from '../store/db.js';
import type { UserError } from './errors.js';
import { runWhatIf, type PathDiff, type WhatIfReport } from './whatIf.js';
import { isHostName } from './hosts.js';

export interface ImpactReport {
  host: { id: string; name: string } | null;
  instancesDown: object[];
  routersWithoutAgent: object[];
  dhcpNetworksWithoutAgent: object[];
  brokenPaths: PathDiff[];
  summary: WhatIfReport['summary'];
  userErrors: UserError[];
}

const ANY_FLOW = { protocol: 'ANY' as const, destinationPort: null };

export async function hostImpact(prisma: Prisma, config: Config, hostName: string): Promise<ImpactReport> {
  const empty = { pairs: 0, broken: 0, fixed: 0, changed: 0, unchanged: 0 };
  const host = isHostName(hostName) ? await prisma.host.findUnique({ where: { name: hostName } }) : null;
  if (!host) {
    return { host: null, instancesDown: [], routersWithoutAgent: [], dhcpNetworksWithoutAgent: [], brokenPaths: [], summary: empty, userErrors: [{ code: 'NOT_FOUND', field: ['hostName'], message: `host '${hostName}' does not exist` }] };
  }
  const [instances, routers, dhcpPorts] = await Promise.all([
    prisma.instance.findMany({ where: { hostId: host.id }, orderBy: { name: 'asc' } }),
    prisma.router.findMany({ where: { hostId: host.id }, orderBy: { name: 'asc' } }),
    prisma.port.findMany({ where: { hostId: host.id, deviceOwner: DEVICE_OWNER.dhcp }, select: { networkId: true } }),
  ]);
  const networks = await prisma.network.findMany({ where: { id: { in: dhcpPorts.map((p) => p.networkId) } }, orderBy: { name: 'asc' } });
  const base = { host, instancesDown: instances, routersWithoutAgent: routers, dhcpNetworksWithoutAgent: networks };
  if (!host.up) return { ...base, brokenPaths: [], summary: empty, userErrors: [{ code: 'INVALID', field: ['hostName'], message: `host '${hostName}' is already down` }] };

  // Every project with an instance or a router on the host; their instances' pairs.
  const projects = [...new Set([...instances.map((i) => i.projectId), ...routers.map((r) => r.projectId)])].sort();
  const members = await prisma.instance.findMany({ where: { projectId: { in: projects } }, select: { id: true, name: true, projectId: true }, orderBy: { name: 'asc' } });
  const pairs = members.flatMap((a) =>
    members
      .filter((b) => b.id !== a.id && b.projectId === a.projectId)
      .map((b) => ({ from: { instanceId: a.id }, to: { instanceId: b.id }, flow: ANY_FLOW, fromLabel: a.name, toLabel: b.name })),
  );
  const report = await runWhatIf(prisma, config, [{ mutation: 'setHostStatus', input: { hostName, up: false } }], { pairs, projectId: null, projectFlow: ANY_FLOW, sets: [] });
  return {
    ...base,
    brokenPaths: report.paths.filter((p) => p.change === 'BROKEN'),
    summary: report.summary,
    userErrors: report.userErrors,
  };
}
