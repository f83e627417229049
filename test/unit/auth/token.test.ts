import { hashToken, isTokenShaped, newTokenSecret } from '../../../src/auth/token.js';
import { principalOf } from '../../../src/auth/principal.js';

describe('token secrets', () => {
  it('are 32 random bytes in base64url behind ngt_, and stored as their SHA-256', () => {
    const a = newTokenSecret();
    const b = newTokenSecret();
    expect(a).toMatch(/^ngt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(4), 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toBe(hashToken(b));
    expect(isTokenShaped(a)).toBe(true);
    expect(['', 'ngt_', `ngt_${'x'.repeat(44)}`, `xyz_${'x'.repeat(43)}`, `ngt_${'x'.repeat(42)}=`].map(isTokenShaped)).toEqual([false, false, false, false, false]);
  });
});

describe('principals', () => {
  it('let admin read and write every project, a project token its own, a read-only token write nothing', () => {
    const admin = principalOf({ id: 't1', admin: true, projectId: null, readOnly: false });
    const rw = principalOf({ id: 't2', admin: false, projectId: 'a', readOnly: false });
    const ro = principalOf({ id: 't3', admin: false, projectId: 'a', readOnly: true });
    expect([admin.canRead('x'), admin.canWrite('x')]).toEqual([true, true]);
    expect([rw.canRead('a'), rw.canWrite('a'), rw.canRead('b'), rw.canWrite('b')]).toEqual([true, true, false, false]);
    expect([ro.canRead('a'), ro.canWrite('a')]).toEqual([true, false]);
    expect(principalOf({ id: 't4', admin: true, projectId: 'ignored', readOnly: false }).projectId).toBeNull();
  });
});
