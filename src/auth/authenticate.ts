// From the Authorization header to a Principal. A missing, malformed,
// unknown, expired or revoked token is UNAUTHENTICATED (HTTP 401); with
// AUTH=off every request is an admin's.
import { GraphQLError } from 'graphql';
import type { Prisma } from '../store/db.js';
import { principalOf, UNAUTHENTICATED_ADMIN, type Principal } from './principal.js';
import { hashToken, isTokenShaped } from './token.js';
import { TtlCache } from './tokenCache.js';
import type { TokenRevocations } from './revocations.js';
import { grantOfHash } from './tokenStore.js';

export interface AuthConfig {
  enabled: boolean;
  /** How long a replica trusts what it read about a token. */
  cacheTtlMs: number;
}

/** Distinct tokens a replica remembers at once. */
const CACHE_ENTRIES = 10_000;

export const unauthenticated = (message: string) =>
  new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

/** What the cache remembers of a token: whom it stands for, and until when. */
interface Known {
  principal: Principal;
  expiresAt: Date | null;
}

export function createAuthenticator(prisma: Prisma, config: AuthConfig, revocations?: TokenRevocations): Authenticate {
  if (!config.enabled) return async () => UNAUTHENTICATED_ADMIN;
  const cache = new TtlCache<Known | null>(config.cacheTtlMs, CACHE_ENTRIES);
  // Any revocation empties the whole cache: it holds hashes, a revocation names an id.
  revocations?.onRevoked(() => cache.clear());
  return async (authorization) => {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    if (!match) throw unauthenticated('send an API token as "Authorization: Bearer <token>"');
    const secret = match[1];
    if (!isTokenShaped(secret)) throw unauthenticated('the API token is not valid');
    const hash = hashToken(secret);
    const known = await cache.get(hash, async () => {
      const grant = await grantOfHash(prisma, hash);
      return grant ? { principal: principalOf(grant), expiresAt: grant.expiresAt } : null;
    });
    // Expiry is checked on every use: a token cached a moment before it expires is not honoured past it.
    if (!known || (known.expiresAt && known.expiresAt.getTime() <= Date.now())) throw unauthenticated('the API token is not valid');
    return known.principal;
  };
}
