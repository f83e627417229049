// Webhooks as objects: created, listed and deleted by an admin (every
// project's changes, or one project's) or by a project token (its own
// project's changes only; it sees only its own webhooks). Whether one may
// deliver to addresses that are not public is decided at its creation, from
// the caller and WEBHOOK_PRIVATE_TARGETS.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../caller.js';
import { fail } from '../errors.js';
import { isUuid } from '../ids.js';
import { inTransaction, type Db } from '../transaction.js';
import type { Prisma } from '../../store/db.js';
import type { PrivateTargets } from '../../live/config.js';
import type { ChangeFilter } from '../changes/read.js';
import { latestSequence } from '../changes/read.js';
import { mayTargetPrivate, requirePublicTarget } from './targets.js';

export interface CreateWebhookInput {
  url: string;
  secret: string;
  filter?: ChangeFilter | null;
  /** An admin's: the project whose changes it gets (none: every project). A project token's is always its own. */
  projectId?: string | null;
}

const MIN_SECRET = 16;

/**
 * Creates a webhook; refuses its URL when it may not reach addresses that
 * are not public and its host is one or resolves to one (services/webhooks/targets.ts).
 */
export async function createWebhook(prisma: Prisma, input: CreateWebhookInput, caller: Caller, privateTargets: PrivateTargets) {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    fail('INVALID', ['url'], 'url is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('INVALID', ['url'], 'url must be http:// or https://');
  if (input.secret.length < MIN_SECRET) fail('INVALID', ['secret'], `secret must be at least ${MIN_SECRET} characters`);
  if (caller.project !== null && input.projectId && input.projectId !== caller.project) fail('FORBIDDEN', ['projectId'], 'a project token gets only its own project\'s changes');
  const projectId = caller.project ?? input.projectId ?? null;
  const mayReachPrivate = mayTargetPrivate(privateTargets, caller);
  // Resolved before the transaction: a slow name server holds no database connection.
  if (!mayReachPrivate) await requirePublicTarget(url, privateTargets);
  return inTransaction(prisma, async (tx) =>
    tx.webhook.create({
      data: {
        id: randomUUID(),
        url: url.toString(),
        secret: input.secret,
        projectId,
        filter: (input.filter ?? undefined) as object | undefined,
        privateTargets: mayReachPrivate,
        // From now on: what committed before it was created is history (Query.changes).
        cursor: BigInt(await latestSequence(tx)),
      },
    }),
  );
}

const visibleTo = (caller: Caller) => (caller.project === null ? {} : { projectId: caller.project });

export async function deleteWebhook(db: Db, id: string, caller: Caller): Promise<string> {
  const found = isUuid(id) ? await db.webhook.findFirst({ where: { id: id.toLowerCase(), ...visibleTo(caller) } }) : null;
  if (!found) fail('NOT_FOUND', ['id'], `no webhook ${id}`);
  await db.webhook.delete({ where: { id: found.id } });
  return found.id;
}

export const listWebhooks = (db: Db, caller: Caller) => db.webhook.findMany({ where: visibleTo(caller), orderBy: { createdAt: 'asc' } });

export const attemptsOf = (db: Db, webhookId: string, take: number) =>
  db.webhookAttempt.findMany({ where: { webhookId }, orderBy: { id: 'desc' }, take });
