// Tells this process's token caches (and its WebSocket connections) that a
// token was revoked, so that no replica serves a revoked token for the rest
// of AUTH_CACHE_TTL_MS. The database notifies api_token_revoked at the
// commit of every revocation, whoever wrote it
// (prisma/migrations/20261205182000_api_token_expiry_and_revocation_notice);
// the process that revoked does not wait for its own notification. While the
// LISTEN connection is down a revocation may be missed: when it is back, the
// listeners are told that some token may have been (no id), and the TTL
// bounds the wait meanwhile.
import type { Logger } from 'pino';
import type { Database } from '../store/db.js';
import { keepListening, type Listening } from '../store/keepListening.js';

export const REVOKED_CHANNEL = 'api_token_revoked';

/** Told the revoked token's id; null when any token may have been revoked unnoticed. */
export type RevocationListener = (tokenId: string | null) => void;

export class TokenRevocations {
  private readonly listeners = new Set<RevocationListener>();
  private listening: Listening | null = null;

  /** Calls `listener` at every revocation; returns the function that stops that. */
  onRevoked(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A token was revoked, here or by another process. */
  revoked(tokenId: string | null): void {
    for (const listener of this.listeners) listener(tokenId);
  }

  async start(db: Database, logger: Logger): Promise<void> {
    this.listening = await keepListening(
      db,
      REVOKED_CHANNEL,
      { onMessage: (tokenId) => this.revoked(tokenId), onListening: () => this.revoked(null) },
      logger,
      'token revocations',
    );
  }

  async stop(): Promise<void> {
    await this.listening?.stop();
  }
}
