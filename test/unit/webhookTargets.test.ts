// Where a webhook may deliver: the creation check and the lookup deliveries
// connect through. Only literals and localhost: no name server is needed.
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { DomainError } from '../../src/services/errors.js';
import { mayTargetPrivate, NotPublicError, publicOnlyLookupFor, requirePublicTarget } from '../../src/services/webhooks/targets.js';

const refusal = async (url: string, setting: 'admin' | 'none' = 'admin') => {
  try {
    await requirePublicTarget(new URL(url), setting);
    return null;
  } catch (error) {
    return (error as DomainError).errors;
  }
};

const lookUp = (lookup: LookupFunction, host: string, all: boolean) =>
  new Promise<unknown>((resolve, reject) =>
    lookup(host, { all }, (error: Error | null, address: string | LookupAddress[], family?: number) => (error ? reject(error) : resolve(all ? address : { address, family }))),
  );

describe('mayTargetPrivate', () => {
  it('follows WEBHOOK_PRIVATE_TARGETS and the caller', () => {
    expect(mayTargetPrivate('admin', { project: null })).toBe(true);
    expect(mayTargetPrivate('admin', { project: 'p' })).toBe(false);
    expect(mayTargetPrivate('all', { project: 'p' })).toBe(true);
    expect(mayTargetPrivate('none', { project: null })).toBe(false);
  });
});

describe('requirePublicTarget', () => {
  it('lets a public address through', async () => {
    expect(await refusal('https://93.184.215.14/hook')).toBeNull();
    expect(await refusal('http://[2606:4700::1111]:8080/')).toBeNull();
  });

  it('refuses a non-public literal, naming the setting', async () => {
    expect(await refusal('http://169.254.169.254/latest/meta-data')).toEqual([
      {
        code: 'FORBIDDEN',
        field: ['input', 'url'],
        message: "169.254.169.254 is not a public address; only an admin's webhook may deliver to loopback, private, link-local or other non-public addresses (WEBHOOK_PRIVATE_TARGETS=admin)",
      },
    ]);
    expect((await refusal('http://[::1]/', 'none'))?.[0].message).toMatch(/^::1 is not a public address; no webhook may .* \(WEBHOOK_PRIVATE_TARGETS=none\)$/);
    // The URL parser reads other IPv4 spellings as the address they are.
    expect((await refusal('http://2130706433/'))?.[0].code).toBe('FORBIDDEN');
    expect((await refusal('http://0x7f.1/'))?.[0].code).toBe('FORBIDDEN');
  });

  it('refuses a name resolving to a non-public address without saying which', async () => {
    const [error] = (await refusal('http://localhost:5432/'))!;
    expect(error.message).toMatch(/^localhost resolves to an address that is not public;/);
    expect(error.message).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('refuses a name that does not resolve', async () => {
    expect((await refusal('http://no-such-host.invalid/'))?.[0]).toMatchObject({ code: 'INVALID', field: ['input', 'url'] });
  });
});

describe('publicOnlyLookupFor', () => {
  it('refuses a non-public literal before any connection', () => {
    expect(() => publicOnlyLookupFor(new URL('http://10.0.0.5/admin'))).toThrow(new NotPublicError('10.0.0.5'));
    expect(() => publicOnlyLookupFor(new URL('http://[fd00::1]/'))).toThrow('the address fd00::1 is not public (WEBHOOK_PRIVATE_TARGETS)');
  });

  it('fails the lookup of a name with a non-public address', async () => {
    const lookup = publicOnlyLookupFor(new URL('http://localhost/'));
    await expect(lookUp(lookup, 'localhost', true)).rejects.toThrow('the address of localhost is not public (WEBHOOK_PRIVATE_TARGETS)');
    await expect(lookUp(lookup, 'localhost', false)).rejects.toBeInstanceOf(NotPublicError);
  });

  it('answers a public address as dns.lookup does, one or all', async () => {
    const lookup = publicOnlyLookupFor(new URL('http://example.test/'));
    await expect(lookUp(lookup, '93.184.215.14', true)).resolves.toEqual([{ address: '93.184.215.14', family: 4 }]);
    await expect(lookUp(lookup, '93.184.215.14', false)).resolves.toEqual({ address: '93.184.215.14', family: 4 });
  });
});
