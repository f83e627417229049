// GraphQL snippets shared by integration tests.
import type { TestServer } from './testServer.js';

export const USER_ERRORS = 'userErrors { field message code }';

/** `settings`: agent settings such as { l2Population: true }; Neutron's defaults without. */
export async function registerHost(s: TestServer, name: string, tunnelIp: string, roles: string[] = ['COMPUTE'], settings: Record<string, boolean | string> = {}) {
  const data = await s.gql(
    `mutation($i: RegisterHostInput!) { registerHost(input: $i) { host { id name } ${USER_ERRORS} } }`,
    { i: { name, tunnelIp, roles, ...settings } },
  );
  expect(data.registerHost.userErrors).toEqual([]);
  return data.registerHost.host as { id: string; name: string };
}

export async function createNetwork(s: TestServer, input: Record<string, unknown>) {
  const data = await s.gql(
    `mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id name segmentationId networkType mtu } ${USER_ERRORS} } }`,
    { i: { projectId: 'p1', ...input } },
  );
  expect(data.createNetwork.userErrors).toEqual([]);
  return data.createNetwork.network as { id: string; segmentationId: number | null; mtu: number };
}

export async function createSubnet(s: TestServer, input: Record<string, unknown>) {
  const data = await s.gql(
    `mutation($i: CreateSubnetInput!) { createSubnet(input: $i) { subnet { id cidr gatewayIp } ${USER_ERRORS} } }`,
    { i: input },
  );
  expect(data.createSubnet.userErrors).toEqual([]);
  return data.createSubnet.subnet as { id: string; cidr: string; gatewayIp: string };
}

export async function createPort(s: TestServer, input: Record<string, unknown>) {
  const data = await s.gql(
    `mutation($i: CreatePortInput!) { createPort(input: $i) { port { id macAddress fixedIps { ipAddress subnet { id } } } ${USER_ERRORS} } }`,
    { i: input },
  );
  expect(data.createPort.userErrors).toEqual([]);
  return data.createPort.port as { id: string; macAddress: string; fixedIps: { ipAddress: string }[] };
}

export async function bootInstance(s: TestServer, input: Record<string, unknown>) {
  const data = await s.gql(
    `mutation($i: BootInstanceInput!) { bootInstance(input: $i) { instance { id name ports { id } } ${USER_ERRORS} } }`,
    { i: { projectId: 'p1', ...input } },
  );
  expect(data.bootInstance.userErrors).toEqual([]);
  return data.bootInstance.instance as { id: string; name: string; ports: { id: string }[] };
}

/** The count statement of every table, per server (the tables do not change during a test). */
const countStatements = new WeakMap<TestServer, string>();

/** Row counts of every table, to prove a refused mutation wrote nothing. */
export async function rowCounts(s: TestServer): Promise<Record<string, number>> {
  let statement = countStatements.get(s);
  if (!statement) {
    const tables = await s.db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations' ORDER BY table_name`,
    );
    // One statement for all tables: this runs around every refused call of the hostile-input tests.
    statement = tables.map(({ table_name }) => `SELECT '${table_name}' AS t, count(*) AS n FROM "${table_name}"`).join(' UNION ALL ');
    countStatements.set(s, statement);
  }
  const rows = await s.db.prisma.$queryRawUnsafe<{ t: string; n: bigint }[]>(statement);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** A checksum of every table's content: proves that nothing at all changed. */
export async function tableChecksums(s: TestServer): Promise<Record<string, string>> {
  const tables = await s.db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const sums: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = await s.db.prisma.$queryRawUnsafe<{ sum: string | null; n: bigint }[]>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum, count(*) AS n FROM "${table_name}" t`,
    );
    sums[table_name] = `${row.n}:${row.sum}`;
  }
  return sums;
}
