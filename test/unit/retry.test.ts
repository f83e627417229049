import { isRetryable } from '../../src/services/transaction.js';

describe('which database errors are retried', () => {
  it('sees a deadlock wrapped by Prisma around the driver adapter error', () => {
    const wrapped = { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '40P01', kind: 'TransactionWriteConflict' } } } };
    expect(isRetryable(wrapped)).toBe(true);
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
