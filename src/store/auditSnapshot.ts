// What the security group audit reads of a project: its groups with their
// rules, the ports that have them, the member addresses of the remote groups
// and which remote prefixes hold an existing port's address, and the names
// of remote groups of other projects: at most six statements whatever the
// project's size.
import type { AuditPort } from '../domain/analysis/audit.js';
import type { SecurityGroup } from '../domain/model.js';
import type { Db } from '../services/transaction.js';
import { groupMemberAddresses } from './securitySnapshot.js';
import { toSecurityGroup } from './toDomain.js';

export interface AuditSnapshot {
  groups: SecurityGroup[];
  ports: AuditPort[];
  members: Record<string, string[]>;
  populatedPrefixes: Set<string>;
  groupNames: Record<string, string>;
}

export async function loadAuditSnapshot(db: Db, projectId: string): Promise<AuditSnapshot> {
  const rows = await db.securityGroup.findMany({ where: { projectId }, include: { rules: { orderBy: { id: 'asc' } } }, orderBy: { id: 'asc' } });
  const groups = rows.map(toSecurityGroup);
  const groupIds = groups.map((g) => g.id);
  const ports = await db.$queryRaw<{ id: string; label: string; groupIds: string[] }[]>`
    SELECT p.id::text AS id, COALESCE(NULLIF(i.name, ''), NULLIF(p.name, ''), p.id::text) AS label,
           array_agg(psg."securityGroupId"::text ORDER BY psg."securityGroupId") AS "groupIds"
      FROM "PortSecurityGroup" psg JOIN "Port" p ON p.id = psg."portId" LEFT JOIN "Instance" i ON i.id = p."instanceId"
     WHERE psg."portId" IN (SELECT "portId" FROM "PortSecurityGroup" WHERE "securityGroupId" = ANY(${groupIds}::uuid[]))
     GROUP BY p.id, i.name, p.name ORDER BY p.id`;
  const remoteIds = [...new Set(groups.flatMap((g) => g.rules.flatMap((r) => (r.remoteGroupId ? [r.remoteGroupId] : []))))];
  const members = await groupMemberAddresses(db, remoteIds);
  // A /0 holds everything; any other prefix is looked for among the fixed IPs (floating IPs' own ports aside),
  // subnet by subnet: only the allocations of subnets that overlap the prefix are read, by index.
  const prefixes = [...new Set(groups.flatMap((g) => g.rules.flatMap((r) => (r.remoteIpPrefix && !r.remoteIpPrefix.endsWith('/0') ? [r.remoteIpPrefix] : []))))];
  const populated = prefixes.length === 0 ? [] : await db.$queryRaw<{ prefix: string }[]>`
    SELECT prefix FROM unnest(${prefixes}::text[]) prefix
     WHERE EXISTS (SELECT 1 FROM "Subnet" s JOIN "IpAllocation" a ON a."subnetId" = s.id JOIN "Port" p ON p.id = a."portId"
                    WHERE s.cidr::cidr && prefix::cidr AND a."ipAddress"::inet <<= prefix::inet AND p."deviceOwner" <> 'network:floatingip')`;
  const foreign = remoteIds.filter((id) => !groupIds.includes(id));
  const names = foreign.length === 0 ? [] : await db.securityGroup.findMany({ where: { id: { in: foreign } }, select: { id: true, name: true } });
  return {
    groups,
    ports: ports.map((p) => ({ id: p.id, label: p.label, securityGroupIds: p.groupIds })),
    members,
    populatedPrefixes: new Set(populated.map((p) => p.prefix)),
    groupNames: Object.fromEntries(names.map((g) => [g.id, g.name])),
  };
}
