// Security groups of some ports, with their rules and the member addresses
// of every group their rules name as remote group: two statements.
import type { SecurityGroup } from '../domain/model.js';
import type { Db } from '../services/transaction.js';
import { toSecurityGroup } from './toDomain.js';

export async function loadSecurityGroups(db: Db, groupIds: string[]): Promise<{ groups: SecurityGroup[]; members: Record<string, string[]> }> {
  if (groupIds.length === 0) return { groups: [], members: {} };
  const rows = await db.securityGroup.findMany({ where: { id: { in: groupIds } }, include: { rules: { orderBy: { id: 'asc' } } } });
  const groups = rows.map(toSecurityGroup);
  const remoteIds = [...new Set(groups.flatMap((g) => g.rules.map((r) => r.remoteGroupId).filter((id): id is string => id !== null)))];
  return { groups, members: await groupMemberAddresses(db, remoteIds) };
}

/** Fixed IPs and allowed address pairs of each group's member ports (never floating IPs). */
export async function groupMemberAddresses(db: Db, groupIds: string[]): Promise<Record<string, string[]>> {
  const members: Record<string, string[]> = Object.fromEntries(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return members;
  const rows = await db.$queryRaw<{ group_id: string; address: string }[]>`
    SELECT psg."securityGroupId"::text AS group_id, ip."ipAddress" AS address
      FROM "PortSecurityGroup" psg JOIN "IpAllocation" ip ON ip."portId" = psg."portId"
     WHERE psg."securityGroupId" = ANY(${groupIds}::uuid[])
    UNION
    SELECT psg."securityGroupId"::text, ap."ipAddress"
      FROM "PortSecurityGroup" psg JOIN "AllowedAddressPair" ap ON ap."portId" = psg."portId"
     WHERE psg."securityGroupId" = ANY(${groupIds}::uuid[])
    ORDER BY 1, 2`;
  for (const row of rows) members[row.group_id].push(row.address);
  return members;
}
