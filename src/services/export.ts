// The whole model as a Neutron API document (the shapes an import reads),
// read in one snapshot so that it is consistent however long it takes.
import type { NeutronDocument } from '../domain/import/document.js';
import { toNeutron } from '../domain/import/toNeutron.js';
import type { Prisma } from '../store/db.js';
import { loadSnapshot } from './import/load.js';
import { IMPORT_TIMEOUT_MS } from './import/index.js';

export async function exportDocument(prisma: Prisma): Promise<NeutronDocument> {
  const snapshot = await prisma.$transaction((tx) => loadSnapshot(tx), { isolationLevel: 'RepeatableRead', timeout: IMPORT_TIMEOUT_MS });
  return toNeutron(snapshot.cloud);
}
