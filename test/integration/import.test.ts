// Importing the fixture cloud over GraphQL and through the CLI: a second
// import changes nothing, a broken document imports nothing and says where,
// REPLACE removes what the document lacks, export gives the document back.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createToken } from '../../src/auth/tokenStore.js';
import type { DatabaseTarget } from '../../src/config.js';
import { exportDocument } from '../../src/services/export.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { rowCounts, tableChecksums, USER_ERRORS } from '../support/fixtures.js';
import { modeledDocument } from '../support/neutronFields.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURE = path.join(process.cwd(), 'test/fixtures/neutron-cloud.json');
const loadFixture = (): Json => JSON.parse(readFileSync(FIXTURE, 'utf8'));

const COUNTS = 'created updated unchanged deleted';
const KINDS = ['hosts', 'networks', 'subnets', 'securityGroups', 'securityGroupRules', 'instances', 'routers', 'ports', 'floatingIps'] as const;
const IMPORT = `mutation($i: ImportNeutronInput!) {
  importNeutron(input: $i) {
    report { mode ${KINDS.map((k) => `${k} { ${COUNTS} }`).join(' ')} localVlans { allocated released kept } warnings }
    ${USER_ERRORS}
  }
}`;

/** How many objects of each kind the fixture holds. */
function sizes(doc: Json): Record<(typeof KINDS)[number], number> {
  return {
    hosts: new Set(doc.agents.map((a: Json) => a.host)).size,
    networks: doc.networks.length,
    subnets: doc.subnets.length,
    securityGroups: doc.security_groups.length,
    securityGroupRules: doc.security_groups.flatMap((g: Json) => g.security_group_rules).length,
    instances: doc.servers.length,
    routers: doc.routers.length,
    ports: doc.ports.length,
    floatingIps: doc.floatingips.length,
  };
}

let s: TestServer;
const importDoc = async (document: unknown, mode = 'MERGE') => (await s.gql(IMPORT, { i: { document, mode } })).importNeutron;

beforeAll(async () => {
  s = await startTestServer({ MAX_BODY_BYTES: String(4 * 1024 * 1024) });
}, 120_000);
afterAll(async () => s?.stop());

describe('importNeutron', () => {
  const doc = loadFixture();
  const id = (kind: string, name: string) => doc[kind].find((o: Json) => o.name === name).id;

  it('imports the fixture', async () => {
    const { report, userErrors } = await importDoc(doc);
    expect(userErrors).toEqual([]);
    for (const [kind, n] of Object.entries(sizes(doc))) expect([kind, report[kind]]).toEqual([kind, { created: n, updated: 0, unchanged: 0, deleted: 0 }]);
    expect(report.localVlans).toEqual({ allocated: 8, released: 0, kept: 0 });

    const web = doc.ports.find((p: Json) => p.device_id === id('servers', 'web-1'));
    const data = await s.gql(
      `query($router: ID!, $port: ID!) {
        network1: host(name: "network1") { roles tunnelIp routers { name } }
        compute1: host(name: "compute1") { roles localVlans { vlan network { name } } }
        router: node(id: $router) { ... on Router { host { name } namespace gateway { ipAddress enableSnat } interfaces { ipAddress } } }
        port: node(id: $port) { ... on Port { macAddress localVlan host { name } instance { name } securityGroups { name } fixedIps { ipAddress } } }
        floatingIps(filter: { portId: $port }) { nodes { floatingIpAddress fixedIpAddress router { name } } }
      }`,
      { router: id('routers', 'router-a'), port: web.id },
    );
    expect(data.network1).toEqual({ roles: ['NETWORK'], tunnelIp: '10.0.0.21', routers: [{ name: 'router-a' }, { name: 'router-b' }] });
    expect(data.compute1.roles).toEqual(['COMPUTE']);
    expect(data.compute1.localVlans.map((v: Json) => v.vlan).sort()).toEqual([1, 2]);
    expect(data.router).toEqual({
      host: { name: 'network1' },
      namespace: `qrouter-${id('routers', 'router-a')}`,
      gateway: { ipAddress: '203.0.113.10', enableSnat: true },
      interfaces: expect.arrayContaining([{ ipAddress: '10.10.0.1' }, { ipAddress: '10.11.0.1' }]),
    });
    expect(data.port).toEqual({
      macAddress: web.mac_address,
      localVlan: expect.any(Number),
      host: { name: 'compute1' },
      instance: { name: 'web-1' },
      securityGroups: expect.arrayContaining([{ name: 'default' }, { name: 'web' }]),
      fixedIps: [{ ipAddress: '10.10.0.15' }],
    });
    expect(data.floatingIps.nodes).toEqual([{ floatingIpAddress: '203.0.113.101', fixedIpAddress: '10.10.0.15', router: { name: 'router-a' } }]);
  });

  it('changes nothing when the same document is imported again', async () => {
    const before = await tableChecksums(s);
    const { report, userErrors } = await importDoc(doc);
    expect(userErrors).toEqual([]);
    for (const [kind, n] of Object.entries(sizes(doc))) expect([kind, report[kind]]).toEqual([kind, { created: 0, updated: 0, unchanged: n, deleted: 0 }]);
    expect(report.localVlans).toEqual({ allocated: 0, released: 0, kept: 8 });
    expect(await tableChecksums(s)).toEqual(before);
  });

  it('imports nothing from a broken document and names each object and field', async () => {
    const broken = loadFixture();
    const port = broken.ports[3];
    port.network_id = '00000000-0000-4000-8000-00000000beef';
    port.name = 'changed, but must not be written';
    broken.subnets[0].cidr = '10.300.0.0/24';
    const before = await tableChecksums(s);
    const { report, userErrors } = await importDoc(broken);
    expect(report).toBeNull();
    expect(userErrors).toEqual(expect.arrayContaining([
      {
        field: ['input', 'document', 'ports', '3', 'network_id'],
        code: 'NOT_FOUND',
        message: `port ${port.id}: network_id 00000000-0000-4000-8000-00000000beef is not a network of the document or the database`,
      },
      expect.objectContaining({ field: ['input', 'document', 'subnets', '0', 'cidr'], code: 'INVALID' }),
    ]));
    expect(await tableChecksums(s)).toEqual(before);
  });

  it('exports what it imported', async () => {
    expect(modeledDocument(await exportDocument(s.db.prisma))).toEqual(modeledDocument(doc));
  });

  it('MERGE updates what changed, with its addresses, groups and VLANs', async () => {
    const changed = loadFixture();
    const port = changed.ports.find((p: Json) => p.device_id === id('servers', 'app-2'));
    const defaultGroup = changed.security_groups.find((g: Json) => g.name === 'default' && g.project_id === port.project_id);
    port.name = 'renamed';
    port.security_groups = [defaultGroup.id];
    port.allowed_address_pairs = [];
    port.fixed_ips[0].ip_address = '10.20.0.43';
    port['binding:host_id'] = 'compute1';
    const { report, userErrors } = await importDoc(changed);
    expect(userErrors).toEqual([]);
    expect(report.ports).toEqual({ created: 0, updated: 1, unchanged: changed.ports.length - 1, deleted: 0 });
    // compute2 no longer has a port of app-net; compute1 already had app-net's VLAN.
    expect(report.localVlans).toEqual({ allocated: 0, released: 1, kept: 7 });
    const data = await s.gql(
      `query($id: ID!) { node(id: $id) { ... on Port { name host { name } localVlan securityGroups { name } allowedAddressPairs { ipAddress } fixedIps { ipAddress } } } }`,
      { id: port.id },
    );
    const app1 = await s.gql(`query($id: ID!) { node(id: $id) { ... on Port { localVlan } } }`, { id: changed.ports.find((p: Json) => p.device_id === id('servers', 'app-1')).id });
    expect(data.node).toEqual({ name: 'renamed', host: { name: 'compute1' }, localVlan: app1.node.localVlan, securityGroups: [{ name: 'default' }], allowedAddressPairs: [], fixedIps: [{ ipAddress: '10.20.0.43' }] });
  });

  it('REPLACE removes what the document does not contain', async () => {
    const reduced = loadFixture();
    const server = reduced.servers.find((o: Json) => o.name === 'app-2');
    const group = reduced.security_groups.find((g: Json) => g.name === 'web');
    const rule = group.security_group_rules.pop();
    reduced.servers = reduced.servers.filter((o: Json) => o !== server);
    reduced.ports = reduced.ports.filter((p: Json) => p.device_id !== server.id);
    const before = await rowCounts(s);
    const { report, userErrors } = await importDoc(reduced, 'REPLACE');
    expect(userErrors).toEqual([]);
    expect(report.instances).toEqual({ created: 0, updated: 0, unchanged: 3, deleted: 1 });
    expect(report.ports.deleted).toBe(1);
    expect(report.securityGroupRules.deleted).toBe(1);
    const after = await rowCounts(s);
    expect(after.Instance).toBe(before.Instance - 1);
    expect(after.Port).toBe(before.Port - 1);
    expect(after.SecurityGroupRule).toBe(before.SecurityGroupRule - 1);
    const gone = await s.gql(`query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }`, { a: server.id, b: rule.id });
    expect(gone).toEqual({ a: null, b: null });
    expect(modeledDocument(await exportDocument(s.db.prisma))).toEqual(modeledDocument(reduced));
  });
});

describe('importNeutron with authentication', () => {
  it('is for admins only', async () => {
    const secured = await startTestServer({ AUTH: 'on' });
    try {
      const { secret } = await createToken(secured.db.prisma, { admin: false, projectId: 'p1', name: 'project' });
      const refused = await secured.request(IMPORT, { i: { document: {} } }, { authorization: `Bearer ${secret}` });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const allowed = await secured.request(IMPORT, { i: { document: {} } });
      expect(allowed.data.importNeutron.userErrors).toEqual([]);
    } finally {
      await secured.stop();
    }
  }, 120_000);
});

describe('the import and export commands', () => {
  let database: TestDatabase;
  let work: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    work = mkdtempSync(path.join(tmpdir(), 'ng-import-'));
  }, 120_000);
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await database?.drop();
  });

  /** Runs the CLI on the test database; resolves with its exit code and output. */
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.DATA_DIR;
    const target: DatabaseTarget = database.target;
    if (target.kind === 'postgres') env.DATABASE_URL = target.url;
    else env.DATA_DIR = target.dataDir;
    try {
      const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'src/cli.ts', ...args], { env, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('imports a directory of files and exports it back', async () => {
    const doc = loadFixture();
    const input = path.join(work, 'in');
    mkdirSync(input);
    for (const [key, list] of Object.entries(doc)) writeFileSync(path.join(input, `${key}.json`), JSON.stringify({ [key]: list }));
    const imported = await cli('import', input);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/ports\s+14\s+0\s+0\s+0/);
    expect(imported.stderr).toContain('writing Port');

    const again = await cli('import', FIXTURE, '--mode', 'merge');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/ports\s+0\s+0\s+14\s+0/);

    const out = path.join(work, 'out');
    expect((await cli('export', '--out', out)).code).toBe(0);
    const exported = Object.assign({}, ...readdirSync(out).map((f) => JSON.parse(readFileSync(path.join(out, f), 'utf8'))));
    expect(modeledDocument(exported)).toEqual(modeledDocument(doc));
  }, 120_000);

  it('imports nothing from a broken file and names the object and field', async () => {
    const broken = loadFixture();
    broken.ports[3].network_id = '00000000-0000-4000-8000-00000000beef';
    const file = path.join(work, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const result = await cli('import', file, '--mode', 'replace');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing was imported');
    expect(result.stderr).toContain(`ports[3].network_id (${file} #3): port ${broken.ports[3].id}: network_id`);
  }, 60_000);
});
