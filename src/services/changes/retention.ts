// Retention of the change log: change sets older than the retention period
// (and webhook delivery attempts as old) are deleted in small batches, each its own short transaction, so that no
// writer ever waits long for the pruner (writers only append; the pruner
// only deletes old rows that nobody writes).
import type { Prisma } from '../../store/db.js';

export const PRUNE_BATCH = 500;

/** Deletes the change sets committed before `cutoff`; returns how many. */
export async function pruneChanges(prisma: Prisma, cutoff: Date, batch = PRUNE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await prisma.$executeRaw`
      DELETE FROM "ChangeSet" WHERE id IN (
        SELECT id FROM "ChangeSet" WHERE "committedAt" < ${cutoff} ORDER BY "committedAt" LIMIT ${batch}
      )`;
    total += deleted;
    if (deleted < batch) return total;
  }
}

/** Deletes webhook delivery attempts made before `cutoff`, kept as long as the changes they delivered; returns how many. */
export async function pruneWebhookAttempts(prisma: Prisma, cutoff: Date, batch = PRUNE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await prisma.$executeRaw`
      DELETE FROM "WebhookAttempt" WHERE id IN (
        SELECT id FROM "WebhookAttempt" WHERE "attemptedAt" < ${cutoff} ORDER BY id LIMIT ${batch}
      )`;
    total += deleted;
    if (deleted < batch) return total;
  }
}

/** The cutoff for a retention of `days` days at `now`. */
export const cutoffOf = (days: number, now = new Date()): Date => new Date(now.getTime() - days * 86_400_000);
