// exposure(projectId): the project's VM ports and everything that leads to
// them from the internet, on one REPEATABLE READ snapshot (two statements).
import { analyzeExposure, type ExposureResult } from '../domain/analysis/exposure.js';
import type { Prisma } from '../store/db.js';
import { resolveSets } from './reachability.js';

export interface ExposureReport extends ExposureResult {
  projectId: string;
  internetAddress: string;
}

/** The snapshot is traced as an admin's: the report itself names only the project's own ports, rules and routers on the way in. */
export async function exposure(prisma: Prisma, projectId: string): Promise<ExposureReport> {
  const { internet, index } = await resolveSets(prisma, [{ kind: 'PROJECT', projectId }, { kind: 'INTERNET' }], null);
  return { projectId, internetAddress: internet, ...analyzeExposure(index, projectId, internet) };
}
