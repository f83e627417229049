// Loading a synthetic cloud the way an operator does: the Neutron API
// document through the bulk import, then ANALYZE so that the planner knows
// the tables' sizes (autovacuum would do it within a minute; the benchmark
// does not wait for it, and autovacuum may be off).
import type { Database } from '../../src/store/db.js';
import { importDocument } from '../../src/services/import/index.js';
import { timed } from '../measure.js';
import { generateCloud, type CloudSize, type SyntheticCloud } from '../synthetic.js';

export interface LoadFigures {
  /** Ports of every kind the document holds. */
  ports: number;
  vmPorts: number;
  generateMs: number;
  importMs: number;
  analyzeMs: number;
  portsPerSecond: number;
}

/** The cloud's questions and answers, without its document (released once imported). */
export type LoadedCloud = Omit<SyntheticCloud, 'document'>;

export async function loadCloud(db: Database, size: CloudSize, seed: number): Promise<{ cloud: LoadedCloud; figures: LoadFigures }> {
  const generated = await timed(async () => generateCloud(size, seed));
  const { document, ...cloud } = generated.value;
  const imported = await timed(() => importDocument(db.prisma, document, 'MERGE'));
  if (imported.value.ports.created !== cloud.portCount) {
    throw new Error(`the import created ${imported.value.ports.created} ports; the document holds ${cloud.portCount}`);
  }
  const analyzed = await timed(() => db.prisma.$executeRawUnsafe('ANALYZE'));
  return {
    cloud,
    figures: {
      ports: cloud.portCount,
      vmPorts: size.ports,
      generateMs: generated.ms,
      importMs: imported.ms,
      analyzeMs: analyzed.ms,
      portsPerSecond: cloud.portCount / (imported.ms / 1000),
    },
  };
}
