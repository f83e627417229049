// The live side's pure parts: which changes a subscriber may see and its
// filter selects, which changes can alter a watched path, a diff's net
// objects, webhook signatures, and the subscriber queue's byte budget.
import { asSeenBy, selects, type LoggedChange } from '../../../src/services/changes/read.js';
import { changedObjects } from '../../../src/services/changes/diff.js';
import { touches, type PathDependencies } from '../../../src/live/pathWatch.js';
import { signatureOf, verifySignature } from '../../../src/services/webhooks/signature.js';
import { EventQueue } from '../../../src/live/queue.js';

const change = (over: Partial<LoggedChange>): LoggedChange => ({
  sequence: 1,
  committedAt: new Date('2026-12-05T10:00:00Z'),
  action: 'UPDATED',
  objectType: 'PORT',
  objectId: 'p1',
  parentId: null,
  projectId: 'a',
  before: { status: 'DOWN', hostId: null },
  after: { status: 'ACTIVE', hostId: 'h1' },
  changeSetId: 's1',
  actorTokenId: null,
  ...over,
});

describe('selects and asSeenBy', () => {
  it('a project sees only its own project, whatever it filters on', () => {
    expect(selects(change({}), 'a', null)).toBe(true);
    expect(selects(change({ projectId: 'b' }), 'a', { projectId: 'b' })).toBe(false);
    expect(selects(change({ projectId: null, objectType: 'HOST' }), 'a', null)).toBe(false);
    expect(selects(change({ projectId: null, objectType: 'HOST' }), null, null)).toBe(true);
  });
  it('objectId matches the object or its parent; actor matches a token or the system', () => {
    expect(selects(change({ objectId: 'p1/s1/10.0.0.5', parentId: 'p1' }), null, { objectId: 'p1' })).toBe(true);
    expect(selects(change({}), null, { objectId: 'p2' })).toBe(false);
    expect(selects(change({}), null, { actor: 'system' })).toBe(true);
    expect(selects(change({ actorTokenId: 't1' }), null, { actor: 'system' })).toBe(false);
    expect(selects(change({ actorTokenId: 't1' }), null, { actor: 'T1' })).toBe(true);
  });
  it('since is inclusive, until exclusive', () => {
    const at = new Date('2026-12-05T10:00:00Z');
    expect(selects(change({}), null, { since: at })).toBe(true);
    expect(selects(change({}), null, { until: at })).toBe(false);
  });
  it('a project never reads the host a port is bound to', () => {
    expect(asSeenBy(change({}), 'a')).toMatchObject({ before: { status: 'DOWN' }, after: { status: 'ACTIVE' } });
    expect(asSeenBy(change({}), 'a').after).not.toHaveProperty('hostId');
    expect(asSeenBy(change({}), null).after).toHaveProperty('hostId', 'h1');
  });
});

describe('touches', () => {
  const deps: PathDependencies = { values: new Set(['net-1', 'sg-1', 'vm-a', '10.0.0.5']), countsHosts: false };
  it('names a snapshot object by id, parent or a field value', () => {
    expect(touches(change({ objectType: 'SECURITY_GROUP_RULE', objectId: 'r9', parentId: 'sg-1', before: null, after: { securityGroupId: 'sg-1' } }), deps)).toBe(true);
    expect(touches(change({ objectType: 'PORT', objectId: 'p9', before: null, after: { networkId: 'NET-1' } }), deps)).toBe(true);
    expect(touches(change({ objectType: 'INSTANCE', objectId: 'i9', before: null, after: { name: 'vm-a' } }), deps)).toBe(true);
    expect(touches(change({ objectType: 'IP_ALLOCATION', objectId: 'p9/s9/10.0.0.5', parentId: 'p9', before: null, after: { ipAddress: '10.0.0.5' } }), deps)).toBe(true);
  });
  it('leaves alone what names nothing of the path', () => {
    expect(touches(change({ objectType: 'NETWORK', objectId: 'net-2', before: null, after: { name: 'other', projectId: 'b' } }), deps)).toBe(false);
    expect(touches(change({ objectType: 'HOST', objectId: 'h9', action: 'CREATED', before: null, after: { name: 'c9' } }), deps)).toBe(false);
  });
  it('a host added anywhere counts when the path floods to every tunnel endpoint', () => {
    expect(touches(change({ objectType: 'HOST', objectId: 'h9', action: 'CREATED', before: null, after: {} }), { ...deps, countsHosts: true })).toBe(true);
  });
});

describe('changedObjects', () => {
  it('gives each object once with its net change; created and deleted within the window: left out', () => {
    const log = [
      change({ sequence: 1, objectId: 'x', action: 'CREATED' }),
      change({ sequence: 2, objectId: 'x', action: 'UPDATED' }),
      change({ sequence: 3, objectId: 'y', action: 'UPDATED' }),
      change({ sequence: 4, objectId: 'y', action: 'DELETED' }),
      change({ sequence: 5, objectId: 'z', action: 'CREATED' }),
      change({ sequence: 6, objectId: 'z', action: 'DELETED' }),
    ];
    expect(changedObjects(log).map((o) => [o.objectId, o.change, o.changes])).toEqual([
      ['x', 'CREATED', 2],
      ['y', 'DELETED', 2],
    ]);
  });
});

describe('webhook signatures', () => {
  it('verify with the secret, timestamp and body they were made of, and nothing else', () => {
    const signature = signatureOf('s3cret-s3cret-s3cret', '1765000000', '{"a":1}');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret-s3cret-s3cret', '1765000000', '{"a":1}', signature)).toBe(true);
    expect(verifySignature('s3cret-s3cret-s3cret', '1765000001', '{"a":1}', signature)).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', '1765000000', '{"a":2}', signature)).toBe(false);
    expect(verifySignature('another-secret-here', '1765000000', '{"a":1}', signature)).toBe(false);
  });
});

describe('EventQueue', () => {
  it('hands values over in order, and ends when what is left unread passes the budget', async () => {
    let overflowed = 0;
    const queue = new EventQueue<number>(100, () => overflowed++);
    queue.push(1, 40);
    queue.push(2, 40);
    expect(await queue.next()).toEqual({ value: 1, done: false });
    queue.push(3, 40);
    expect(overflowed).toBe(0);
    queue.push(4, 40);
    expect(overflowed).toBe(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });
  it('a waiting reader gets the next value at once, without using the budget', async () => {
    const queue = new EventQueue<number>(10, () => undefined);
    const waiting = queue.next();
    queue.push(7, 1000);
    expect(await waiting).toEqual({ value: 7, done: false });
    expect(queue.pendingBytes).toBe(0);
  });
});
