// What a subscription's resolvers get besides the usual context: the
// process's change feed and the way to drop their connection when it reads
// too slowly.
import type { ChangeFeed } from './feed.js';

export interface LiveContext {
  feed: ChangeFeed;
  /** The most a subscription may leave unread (bytes, estimated) before its connection is dropped. */
  maxBufferedBytes: number;
  /** Closes this WebSocket with SLOW_CONSUMER_CLOSE. */
  dropSlow(): void;
}

/** The close code of a connection dropped for reading too slowly. */
export const SLOW_CONSUMER_CLOSE = 4503;

/** The close code of a connection whose token was revoked (graphql-ws's Unauthorized). */
export const TOKEN_REVOKED_CLOSE = 4401;
