// exposure(projectId): the project's VM ports and everything that leads to
// them from the internet, on one REPEATABLE READ snapshot (two statements).
import { analyzeExposure, type ExposureResult } from '../domain/analysis/exposure.js';
import type { Prisma } from '../store/db.js';
import { resolveSets } from './reachability.js';
import { inWorkSlot } from './requestWork.js';

export interface ExposureReport extends ExposureResult {
  projectId: string;
  internetAddress: string;
}

/**
 * `viewer`: the project asking (its own), null for an admin. A project's
 * snapshot is the one its paths are traced on (hosts by opaque ids, other
 * projects' names blanked); the probes start outside, which a project's
 * `path` refuses, so they are traced without hiding the project's own rules.
 */
export function exposure(prisma: Prisma, projectId: string, viewer: string | null): Promise<ExposureReport> {
  // Like reachability, it holds a snapshot and traces a probe per rule and port: one of the analyses' slots.
  return inWorkSlot(async () => {
    const { internet, index } = await resolveSets(prisma, [{ kind: 'PROJECT', projectId }, { kind: 'INTERNET' }], viewer);
    return { projectId, internetAddress: internet, ...analyzeExposure(index, projectId, internet) };
  });
}
