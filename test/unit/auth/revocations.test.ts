import { jest } from '@jest/globals';
import { pino } from 'pino';
import { REVOKED_CHANNEL, TokenRevocations } from '../../../src/auth/revocations.js';
import type { Database } from '../../../src/store/db.js';

/** A database whose LISTEN connections the test drives: deliver a notification, or lose the connection. */
function fakeDatabase() {
  const connections: { channel: string; onMessage: (payload: string) => void; onLost: (error: Error) => void; open: boolean }[] = [];
  const db = {
    listen: async (channel: string, onMessage: (payload: string) => void, onLost: (error: Error) => void) => {
      const connection = { channel, onMessage, onLost, open: true };
      connections.push(connection);
      return async () => void (connection.open = false);
    },
  } as unknown as Database;
  return { db, connections };
}

describe('TokenRevocations', () => {
  afterEach(() => jest.useRealTimers());

  it('tells its listeners of a local revocation and of every notification, with the token id', async () => {
    const { db, connections } = fakeDatabase();
    const revocations = new TokenRevocations();
    const told: (string | null)[] = [];
    const stopTelling = revocations.onRevoked((id) => told.push(id));
    await revocations.start(db, pino({ level: 'silent' }));
    expect(connections.map((c) => c.channel)).toEqual([REVOKED_CHANNEL]);
    told.length = 0;
    revocations.revoked('00000000-0000-4000-8000-000000000001');
    connections[0].onMessage('00000000-0000-4000-8000-000000000002');
    expect(told).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
    stopTelling();
    revocations.revoked('00000000-0000-4000-8000-000000000003');
    expect(told).toHaveLength(2);
    await revocations.stop();
    expect(connections[0].open).toBe(false);
  });

  it('listens again after a lost connection, and then says that any token may have been revoked meanwhile', async () => {
    jest.useFakeTimers();
    const { db, connections } = fakeDatabase();
    const revocations = new TokenRevocations();
    const told: (string | null)[] = [];
    revocations.onRevoked((id) => told.push(id));
    await revocations.start(db, pino({ level: 'silent' }));
    told.length = 0;
    connections[0].onLost(new Error('terminated'));
    expect(connections).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(connections).toHaveLength(2);
    expect(told).toEqual([null]);
    await revocations.stop();
    expect(connections[1].open).toBe(false);
  });
});
