// Delivers the change log to webhooks (docs/live.md, "Webhooks"): an outbox
// read from the log itself. Each webhook keeps a cursor (the last sequence
// delivered) in the database; one server process at a time holds a lease on
// it and POSTs its changes one by one, in order, signed; a failure is
// retried with exponential backoff until WEBHOOK_RETRY_FOR_MS has passed,
// then that change is given up and the next one goes. The cursor moves only
// after a 2xx, so a change is delivered at least once, across restarts too.
// A webhook that may not reach addresses that are not public fails an
// attempt that would connect to one, like any other failure.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Prisma } from '../store/db.js';
import type { Webhook } from '../generated/prisma/client.js';
import { readChanges, type ChangeFilter, type LoggedChange } from '../services/changes/read.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signatureOf } from '../services/webhooks/signature.js';
import { NotPublicError } from '../services/webhooks/targets.js';
import { post } from './webhookPost.js';
import type { ChangeFeed } from './feed.js';

const LEASE_MS = 30_000;
const TICK_MS = 500;
const POST_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 3_600_000;
/** Changes one webhook gets per tick before the others have their turn. */
const BATCH = 100;

export interface WebhookSettings {
  retryForMs: number;
  retryBaseMs: number;
}

/** The JSON body of one delivery. */
export function deliveryBody(webhookId: string, change: LoggedChange): string {
  const { actorTokenId, ...fields } = change;
  return JSON.stringify({ webhookId, change: { ...fields, actor: actorTokenId === null ? 'system' : actorTokenId } });
}

/** The URL as logs and errors may show it: without credentials, query or fragment. */
const shownUrl = (raw: string) => {
  const url = new URL(raw);
  return `${url.protocol}//${url.host}${url.pathname}`;
};

export function startWebhookWorker(prisma: Prisma, feed: ChangeFeed, settings: WebhookSettings, logger: Logger) {
  const owner = randomUUID();
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((err) => logger.warn({ err }, 'webhooks: a delivery round failed; retried'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };

  async function tick(): Promise<void> {
    // Take the webhooks nobody holds (or whose holder stopped renewing), renew our own.
    await prisma.$executeRaw`
      UPDATE "Webhook" SET "leaseOwner" = ${owner}, "leaseUntil" = now() + make_interval(secs => ${LEASE_MS / 1000})
      WHERE "leaseUntil" IS NULL OR "leaseUntil" < now() OR "leaseOwner" = ${owner}`;
    const held = await prisma.webhook.findMany({ where: { leaseOwner: owner } });
    await Promise.all(held.map((webhook) => deliverSome(webhook)));
  }

  async function deliverSome(webhook: Webhook): Promise<void> {
    let current = webhook;
    for (let i = 0; i < BATCH && !stopped; i++) {
      if (current.nextAttemptAt && current.nextAttemptAt > new Date()) return;
      const [change] = await readChanges(prisma, {
        viewerProject: current.projectId,
        filter: current.filter as ChangeFilter | null,
        afterSequence: Number(current.cursor),
        direction: 'asc',
        take: 1,
      });
      if (!change) return;
      const next = await attempt(current, change);
      if (!next) return;
      current = next;
    }
  }

  /** One POST; the webhook as it is after it, or null when it waits (backoff) or was lost. */
  async function attempt(webhook: Webhook, change: LoggedChange): Promise<Webhook | null> {
    const body = deliveryBody(webhook.id, change);
    const timestamp = String(Math.floor(Date.now() / 1000));
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await post(webhook.url, body, {
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signatureOf(webhook.secret, timestamp, body),
          'x-webhook-id': webhook.id,
          'x-webhook-sequence': String(change.sequence),
        },
        timeoutMs: POST_TIMEOUT_MS,
        publicOnly: !webhook.privateTargets,
      });
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      if (err instanceof NotPublicError) error = err.message;
      else error = (err as Error).name === 'TimeoutError' ? `no answer in ${POST_TIMEOUT_MS} ms` : `could not connect: ${(err as Error).message}`;
    }
    const now = new Date();
    const sequence = BigInt(change.sequence);
    const mine = { id: webhook.id, leaseOwner: owner };
    if (error === null) {
      await prisma.webhookAttempt.create({ data: { webhookId: webhook.id, sequence, status, delivered: true } });
      const moved = await prisma.webhook.updateManyAndReturn({ where: mine, data: { cursor: sequence, failingSince: null, nextAttemptAt: null } });
      return moved[0] ?? null;
    }
    const failingSince = webhook.failingSince ?? now;
    const gaveUp = now.getTime() - failingSince.getTime() >= settings.retryForMs;
    await prisma.webhookAttempt.create({ data: { webhookId: webhook.id, sequence, status, error, delivered: false, gaveUp } });
    logger.warn({ webhookId: webhook.id, url: shownUrl(webhook.url), sequence: change.sequence, error, gaveUp }, 'webhook delivery failed');
    if (gaveUp) {
      const moved = await prisma.webhook.updateManyAndReturn({ where: mine, data: { cursor: sequence, failingSince: null, nextAttemptAt: null } });
      return moved[0] ?? null;
    }
    const failures = await prisma.webhookAttempt.count({ where: { webhookId: webhook.id, sequence, delivered: false } });
    const delay = Math.min(settings.retryBaseMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
    await prisma.webhook.updateMany({ where: mine, data: { failingSince, nextAttemptAt: new Date(now.getTime() + delay) } });
    return null;
  }

  const unwatch = feed.watch(() => kick());
  const timer = setInterval(kick, TICK_MS);
  timer.unref();
  kick();
  return {
    stop: async () => {
      stopped = true;
      unwatch();
      clearInterval(timer);
      await running;
      // Let another process take over at once.
      await prisma.webhook.updateMany({ where: { leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } }).catch(() => undefined);
    },
  };
}
