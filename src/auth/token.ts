// API token secrets: 32 random bytes, base64url, behind a recognizable
// prefix (so that secret scanners and people can tell one when they see it).
// Only the SHA-256 of a token is ever stored.
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'ngt_';
const TOKEN_RE = /^ngt_[A-Za-z0-9_-]{43}$/;

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** True for a string shaped like a token: anything else is refused without a database look-up. */
export const isTokenShaped = (text: string): boolean => TOKEN_RE.test(text);

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
