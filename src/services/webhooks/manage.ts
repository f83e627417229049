// Webhooks as objects: created, listed and deleted by an admin (every
// project's changes, or one project's) or by a project token (its own
// project's changes only; it sees only its own webhooks).
import { randomUUID } from 'node:crypto';
import type { Caller } from '../caller.js';
import { fail } from '../errors.js';
import { isUuid } from '../ids.js';
import type { Db } from '../transaction.js';
import type { ChangeFilter } from '../changes/read.js';
import { latestSequence } from '../changes/read.js';

export interface CreateWebhookInput {
  url: string;
  secret: string;
  filter?: ChangeFilter | null;
  /** An admin's: the project whose changes it gets (none: every project). A project token's is always its own. */
  projectId?: string | null;
}

const MIN_SECRET = 16;

export async function createWebhook(db: Db, input: CreateWebhookInput, caller: Caller) {
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
  // From now on: what committed before it was created is history (Query.changes).
  return db.webhook.create({
    data: { id: randomUUID(), url: url.toString(), secret: input.secret, projectId, filter: (input.filter ?? undefined) as object | undefined, cursor: BigInt(await latestSequence(db)) },
  });
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
