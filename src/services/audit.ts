// securityGroupAudit(projectId, flows): the project's groups read on one
// REPEATABLE READ snapshot, judged in the domain.
import { ADMIN_PORTS, auditSecurityGroups, type Finding } from '../domain/analysis/audit.js';
import type { Flow } from '../domain/path/index.js';
import { loadAuditSnapshot } from '../store/auditSnapshot.js';
import type { Prisma } from '../store/db.js';

export interface AuditReport {
  projectId: string;
  groupsChecked: number;
  rulesChecked: number;
  adminPorts: readonly number[];
  findings: Finding[];
}

/** `universe`: the flows that matter (null: every flow). */
export async function securityGroupAudit(prisma: Prisma, projectId: string, universe: Flow[] | null): Promise<AuditReport> {
  const snapshot = await prisma.$transaction((tx) => loadAuditSnapshot(tx, projectId), { isolationLevel: 'RepeatableRead' });
  return {
    projectId,
    groupsChecked: snapshot.groups.length,
    rulesChecked: snapshot.groups.reduce((n, g) => n + g.rules.length, 0),
    adminPorts: ADMIN_PORTS,
    findings: auditSecurityGroups({ ...snapshot, universe }),
  };
}
