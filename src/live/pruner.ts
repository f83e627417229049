// Runs the change log's retention in the background: at start, then every
// interval; one run at a time; a failure is logged and retried next time.
import type { Logger } from 'pino';
import type { Prisma } from '../store/db.js';
import { cutoffOf, pruneChanges, pruneWebhookAttempts } from '../services/changes/retention.js';

export function startPruner(prisma: Prisma, retentionDays: number, intervalMs: number, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    const cutoff = cutoffOf(retentionDays);
    running = pruneChanges(prisma, cutoff)
      .then(async (deleted) => {
        const attempts = await pruneWebhookAttempts(prisma, cutoff);
        if (deleted > 0 || attempts > 0) logger.info({ deleted, attempts, retentionDays }, 'change log: expired change sets and webhook attempts pruned');
      })
      .catch((err) => logger.warn({ err }, 'change log: pruning failed; retried at the next interval'))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
