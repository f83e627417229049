// API tokens in the database: created with their secret shown once, listed
// without it, revoked by id. Every replica reads the same table, so a token
// made or revoked through one is known to all. Bad input is a DomainError
// (userErrors on `input.<field>`), for the API and the CLI alike.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../store/db.js';
import { fail } from '../services/errors.js';
import type { Db } from '../services/transaction.js';
import { PROJECT_ID_RE } from '../services/validate.js';
import type { TokenGrant } from './principal.js';
import { hashToken, newTokenSecret } from './token.js';

export interface TokenInfo {
  id: string;
  name: string;
  projectId: string | null;
  admin: boolean;
  readOnly: boolean;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export type TokenScope = { admin: true; projectId?: null } | { admin: false; projectId: string };

const INFO = { id: true, name: true, projectId: true, admin: true, readOnly: true, createdAt: true, expiresAt: true, revokedAt: true } as const;

export async function createToken(
  db: Db,
  options: TokenScope & { name?: string; readOnly?: boolean; expiresAt?: Date | null },
): Promise<{ token: TokenInfo; secret: string }> {
  const name = options.name ?? '';
  if (name.length > 255 || /[\u0000-\u001f]/.test(name)) fail('INVALID', ['name'], 'a token name is at most 255 characters, without control characters');
  if (!options.admin && !PROJECT_ID_RE.test(options.projectId)) {
    fail('INVALID', ['projectId'], 'a project id is 1 to 64 letters, digits, "_", "." or "-"');
  }
  if (options.expiresAt && options.expiresAt.getTime() <= Date.now()) fail('INVALID', ['expiresAt'], 'expiresAt must be in the future');
  const secret = newTokenSecret();
  const token = await db.apiToken.create({
    data: {
      id: randomUUID(),
      name,
      hash: hashToken(secret),
      admin: options.admin,
      projectId: options.admin ? null : options.projectId,
      readOnly: options.readOnly ?? false,
      expiresAt: options.expiresAt ?? null,
    },
    select: INFO,
  });
  return { token, secret };
}

export function listTokens(db: Db): Promise<TokenInfo[]> {
  return db.apiToken.findMany({ select: INFO, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/**
 * Marks the token revoked; null when no token has this id. Revoking twice
 * keeps the first time. Its commit notifies every server (auth/revocations.ts).
 */
export async function revokeToken(db: Db, id: string): Promise<TokenInfo | null> {
  const found = await db.apiToken.findUnique({ where: { id }, select: INFO });
  if (!found) return null;
  if (found.revokedAt) return found;
  return db.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: INFO });
}

/** What an active (neither revoked nor expired) token grants, and until when, by the SHA-256 of its secret. */
export async function grantOfHash(prisma: Prisma, hash: string): Promise<(TokenGrant & { expiresAt: Date | null }) | null> {
  const row = await prisma.apiToken.findUnique({ where: { hash }, select: { id: true, admin: true, projectId: true, readOnly: true, expiresAt: true, revokedAt: true } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  return { id: row.id, admin: row.admin, projectId: row.projectId, readOnly: row.readOnly, expiresAt: row.expiresAt };
}

/** Those of `ids` that are neither revoked nor expired. */
export async function activeTokenIds(prisma: Prisma, ids: string[]): Promise<Set<string>> {
  const rows = await prisma.apiToken.findMany({
    where: { id: { in: ids }, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}

/**
 * Creates an admin token when the table holds no token at all (revoked ones
 * count), and returns its secret; null otherwise. Replicas starting together
 * serialize on an advisory lock, so at most one of them creates it.
 */
export async function createFirstAdminToken(prisma: Prisma): Promise<string | null> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('neutron-graph:first-admin-token'))`;
    if ((await tx.apiToken.count()) > 0) return null;
    const secret = newTokenSecret();
    await tx.apiToken.create({ data: { id: randomUUID(), name: 'first admin token', hash: hashToken(secret), admin: true } });
    return secret;
  });
}
