import { isRetryable } from '../../src/services/transaction.js';
import { isConnectionLost } from '../../src/store/databaseErrors.js';

describe('which database errors are retried', () => {
  it('sees a deadlock wrapped by Prisma around the driver adapter error', () => {
    const wrapped = { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '40P01', kind: 'TransactionWriteConflict' } } } };
    expect(isRetryable(wrapped)).toBe(true);
  });
  it('sees a conflict raised at COMMIT, which the driver adapter names by kind only', () => {
    const atCommit = { name: 'DriverAdapterError', message: 'TransactionWriteConflict', cause: { kind: 'TransactionWriteConflict' } };
    expect(isRetryable(atCommit)).toBe(true);
    expect(isRetryable({ name: 'DriverAdapterError', cause: { kind: 'UniqueConstraintViolation', constraint: { index: 'ObjectId_pkey' } } })).toBe(true);
    expect(isRetryable({ name: 'DriverAdapterError', cause: { kind: 'NullConstraintViolation' } })).toBe(false);
  });
  it('retries unique violations and serialization failures', () => {
    expect(isRetryable({ code: 'P2002' })).toBe(true);
    expect(isRetryable({ cause: { code: '40001' } })).toBe(true);
  });
  it('does not retry other failures', () => {
    expect(isRetryable({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '22P02' } } } })).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable(null)).toBe(false);
  });
});

describe('which errors are lost connections', () => {
  it('sees a terminated backend wrapped by Prisma, and node-pg connections that died without a code', () => {
    const terminated = { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '57P01', kind: 'postgres' } } } };
    expect(isConnectionLost(terminated)).toBe(true);
    expect(isConnectionLost({ cause: { code: '57P02' } })).toBe(true);
    expect(isConnectionLost({ code: '08006' })).toBe(true);
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
  });
  it('does not take lost races or other failures for lost connections, nor the reverse', () => {
    expect(isConnectionLost({ code: '40P01' })).toBe(false);
    expect(isConnectionLost({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '22P02' } } } })).toBe(false);
    expect(isRetryable({ cause: { code: '57P01' } })).toBe(false);
    expect(isConnectionLost(null)).toBe(false);
  });
});
