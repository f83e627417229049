// Query.diff over a REPLACE import: the objects it changed since a
// sequence (or a time), and the paths it broke, with the state before
// rebuilt from the change log; nothing is written by asking.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { tableChecksums } from '../support/fixtures.js';

jest.setTimeout(120_000);

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const loadFixture = (): Json => JSON.parse(readFileSync(path.join(process.cwd(), 'test/fixtures/neutron-cloud.json'), 'utf8'));
const IMPORT = `mutation($i: ImportNeutronInput!) { importNeutron(input: $i) { userErrors { message } } }`;
const DIFF = `query($since: DiffSince!, $check: WhatIfCheckInput) { diff(since: $since, check: $check) {
  since through objects { objectType objectId change changes }
  paths { from to change before { verdict } after { verdict dropReason } }
  summary { pairs broken fixed unchanged changed } userErrors { code message } } }`;

let s: TestServer;
const latest = async () => (await s.gql(`{ changes(last: 1) { nodes { sequence committedAt } } }`)).changes.nodes[0];

beforeAll(async () => {
  s = await startTestServer();
  const imported = await s.gql(IMPORT, { i: { document: loadFixture(), mode: 'MERGE' } });
  expect(imported.importNeutron.userErrors).toEqual([]);
});
afterAll(async () => s?.stop());

test('a diff over a REPLACE import lists the objects it removed and the path it broke', async () => {
  const mark = await latest();
  const reduced = loadFixture();
  const web = reduced.security_groups.find((g: Json) => g.name === 'web');
  const http = web.security_group_rules.find((r: Json) => r.protocol === 'tcp' && r.port_range_min === 80);
  web.security_group_rules = web.security_group_rules.filter((r: Json) => r !== http);
  const gone = reduced.servers.find((o: Json) => o.name === 'app-2');
  reduced.servers = reduced.servers.filter((o: Json) => o !== gone);
  reduced.ports = reduced.ports.filter((p: Json) => p.device_id !== gone.id);
  const replaced = await s.gql(IMPORT, { i: { document: reduced, mode: 'REPLACE' } });
  expect(replaced.importNeutron.userErrors).toEqual([]);

  const check = {
    paths: [
      { from: { instance: 'app-1' }, to: { instance: 'web-1' }, flow: { protocol: 'TCP', destinationPort: 80 } },
      { from: { instance: 'app-1' }, to: { instance: 'web-1' }, flow: { protocol: 'TCP', destinationPort: 443 } },
    ],
  };
  const before = await tableChecksums(s);
  const { diff } = await s.gql(DIFF, { since: { sequence: mark.sequence }, check });
  expect(await tableChecksums(s)).toEqual(before);
  expect(diff.userErrors).toEqual([]);
  expect(diff.since).toBe(mark.sequence);
  expect(diff.objects).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ objectType: 'SECURITY_GROUP_RULE', objectId: http.id, change: 'DELETED' }),
      expect.objectContaining({ objectType: 'INSTANCE', objectId: gone.id, change: 'DELETED' }),
    ]),
  );
  expect(diff.objects.every((o: { change: string }) => o.change === 'DELETED' || o.change === 'UPDATED')).toBe(true);
  expect(diff.paths[0]).toMatchObject({ change: 'BROKEN', before: { verdict: 'DELIVERED' }, after: { verdict: 'DROPPED' } });
  expect(diff.paths[1]).toMatchObject({ change: 'UNCHANGED', before: { verdict: 'DELIVERED' }, after: { verdict: 'DELIVERED' } });
  expect(diff.summary).toMatchObject({ pairs: 2, broken: 1, unchanged: 1 });

  // The same window named by time; and a diff from now has nothing in it.
  const byTime = (await s.gql(DIFF, { since: { time: new Date(new Date(mark.committedAt).getTime() + 1).toISOString() }, check })).diff;
  expect(byTime.since).toBe(mark.sequence);
  expect(byTime.summary.broken).toBe(1);
  const empty = (await s.gql(DIFF, { since: { sequence: (await latest()).sequence }, check })).diff;
  expect(empty.objects).toEqual([]);
  expect(empty.summary).toMatchObject({ broken: 0, fixed: 0, changed: 0 });
});

test('a diff from before what the log keeps is refused', async () => {
  const oldest = await s.db.prisma.changeSet.findFirstOrThrow({ orderBy: { lastSequence: 'asc' } });
  await s.db.prisma.changeSet.delete({ where: { id: oldest.id } });
  const { diff } = await s.gql(DIFF, { since: { sequence: 0 } });
  expect(diff.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID']);
});
