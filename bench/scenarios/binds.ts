// Concurrent binds: N clients bind unbound spare ports over GraphQL, each to
// a host where the port's network has no VLAN yet (two consecutive ports
// per host, so that concurrent binds meet on the host lock). The same
// harness then runs the write transaction a bind boils down to, as raw SQL
// on N pg connections, on the other half of the spare ports: the rate of
// the service against the rate of the database alone. Afterwards every
// spare port is bound where it was sent, no host holds a VLAN twice or a
// network twice, and every bound port has its VLAN.
import pg from 'pg';
import type { GraphQLClient } from '../client.js';
import { runConcurrently } from '../measure.js';

export interface BindFigures {
  clients: number;
  /** cpuMs: CPU time of this process (server and clients) per bind. */
  graphql: { binds: number; ms: number; perSecond: number; cpuMs: number; statements: number };
  raw: { binds: number; ms: number; perSecond: number; cpuMs: number };
  /**
   * bindPort of a port that does not exist, as often and as concurrently as
   * the binds: the floor of a transactional mutation over GraphQL here
   * (HTTP, GraphQL, BEGIN, one SELECT, ROLLBACK, a userError).
   */
  refused: { binds: number; ms: number; perSecond: number; cpuMs: number; statements: number };
  /** graphql.perSecond / raw.perSecond */
  ratio: number;
  duplicates: { hostVlan: number; hostNetwork: number };
  /** Bound ports without a VLAN for their network on their host. */
  unwired: number;
  /** Spare ports that are not bound to the host they were bound to. */
  misbound: number;
}

interface Spare {
  portId: string;
  hostName: string;
}

/** The bind and its outcome; the VLANs it wired are checked once at the end, for all binds together. */
const BIND = `mutation Bind($input: BindPortInput!) {
  bindPort(input: $input) { port { id status } userErrors { code message } }
}`;

interface BindAnswer {
  bindPort: { port: { id: string; status: string } | null; userErrors: { code: string; message: string }[] };
}

/** binding.ts's lowest free VLAN of a host. */
const LOWEST_FREE_VLAN = `
  SELECT v FROM (
    SELECT 1 AS v WHERE NOT EXISTS (SELECT 1 FROM "LocalVlan" WHERE "hostId" = $1 AND vlan = 1)
    UNION ALL
    SELECT a.vlan + 1 FROM "LocalVlan" a
     WHERE a."hostId" = $1 AND a.vlan < 4094
       AND NOT EXISTS (SELECT 1 FROM "LocalVlan" b WHERE b."hostId" = a."hostId" AND b.vlan = a.vlan + 1)
  ) free ORDER BY v LIMIT 1`;

/** The bind's write transaction: host lock, lowest free VLAN, the VLAN row, the port. */
async function rawBind(client: pg.Client, hostId: string, networkId: string, portId: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT 1 FROM "Host" WHERE id = $1 FOR UPDATE', [hostId]);
    const free = await client.query<{ v: number }>(LOWEST_FREE_VLAN, [hostId]);
    await client.query('INSERT INTO "LocalVlan" ("hostId", "networkId", vlan) VALUES ($1, $2, $3)', [hostId, networkId, free.rows[0].v]);
    await client.query(`UPDATE "Port" SET "hostId" = $1, status = 'ACTIVE' WHERE id = $2`, [hostId, portId]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** A port id nothing has: the bind stops at its first read. */
const MISSING_PORT = '00000000-0000-4000-8000-000000000000';

async function refusedBind(client: GraphQLClient, hostName: string): Promise<number> {
  const { data, statements } = await client.request<BindAnswer>(BIND, { input: { portId: MISSING_PORT, hostName } });
  if (data.bindPort.userErrors[0]?.code !== 'NOT_FOUND') throw new Error(`bindPort of a missing port: ${JSON.stringify(data.bindPort)}`);
  return statements;
}

async function bindOverGraphQL(client: GraphQLClient, spare: Spare): Promise<number> {
  const { data, statements } = await client.request<BindAnswer>(BIND, { input: spare });
  const { port, userErrors } = data.bindPort;
  if (userErrors.length > 0 || !port || port.status !== 'ACTIVE') {
    throw new Error(`bindPort ${spare.portId} to ${spare.hostName}: ${JSON.stringify(data.bindPort)}`);
  }
  return statements;
}

async function invariants(db: pg.Client, spares: Spare[]): Promise<Pick<BindFigures, 'duplicates' | 'unwired' | 'misbound'>> {
  const { rows } = await db.query<{ host_vlan: number; host_network: number; unwired: number; misbound: number }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM "LocalVlan" GROUP BY "hostId", vlan HAVING count(*) > 1) d)::int AS host_vlan,
            (SELECT count(*) FROM (SELECT 1 FROM "LocalVlan" GROUP BY "hostId", "networkId" HAVING count(*) > 1) d)::int AS host_network,
            (SELECT count(*) FROM "Port" p WHERE p."hostId" IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM "LocalVlan" v WHERE v."hostId" = p."hostId" AND v."networkId" = p."networkId"))::int AS unwired,
            (SELECT count(*) FROM unnest($1::uuid[], $2::text[]) AS s(port, host)
               LEFT JOIN "Port" p ON p.id = s.port LEFT JOIN "Host" h ON h.id = p."hostId"
              WHERE h.name IS DISTINCT FROM s.host)::int AS misbound`,
    [spares.map((s) => s.portId), spares.map((s) => s.hostName)],
  );
  const r = rows[0];
  return { duplicates: { hostVlan: r.host_vlan, hostNetwork: r.host_network }, unwired: r.unwired, misbound: r.misbound };
}

/** Runs the binds; wall-clock and CPU milliseconds of this process per bind. */
async function timedBinds<T>(items: T[], clients: number, bind: (item: T, worker: number) => Promise<void>) {
  const cpu = process.cpuUsage();
  const ms = await runConcurrently(items, clients, bind);
  const used = process.cpuUsage(cpu);
  return { binds: items.length, ms, perSecond: items.length / (ms / 1000), cpuMs: (used.user + used.system) / 1000 / items.length };
}

/** Untimed binds first on each side: connections, caches and query plans warm. */
const WARMUP_PER_CLIENT = 2;

export async function measureBinds(client: GraphQLClient, databaseUrl: string, spares: Spare[], clients: number): Promise<BindFigures> {
  const half = Math.floor(spares.length / 2);
  const warm = Math.min(WARMUP_PER_CLIENT * clients, Math.floor(half / 4));
  const overGraphQL = spares.slice(0, half);
  const overSql = spares.slice(half, 2 * half);

  let statements = 0;
  await runConcurrently(overGraphQL.slice(0, warm), clients, async (spare) => {
    await bindOverGraphQL(client, spare);
  });
  const graphql = await timedBinds(overGraphQL.slice(warm), clients, async (spare) => {
    statements = Math.max(statements, await bindOverGraphQL(client, spare));
  });
  let refusedStatements = 0;
  const refused = await timedBinds(overGraphQL.slice(warm), clients, async (spare) => {
    refusedStatements = Math.max(refusedStatements, await refusedBind(client, spare.hostName));
  });

  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }),
  );
  try {
    const hosts = await connections[0].query<{ id: string; name: string }>('SELECT id::text, name FROM "Host"');
    const ports = await connections[0].query<{ id: string; network: string }>('SELECT id::text, "networkId"::text AS network FROM "Port" WHERE id = ANY($1::uuid[])', [
      overSql.map((s) => s.portId),
    ]);
    const hostId = new Map(hosts.rows.map((h) => [h.name, h.id]));
    const networkOf = new Map(ports.rows.map((p) => [p.id, p.network]));
    const bindRaw = (spare: Spare, worker: number) => rawBind(connections[worker], hostId.get(spare.hostName)!, networkOf.get(spare.portId)!, spare.portId);
    await runConcurrently(overSql.slice(0, warm), clients, bindRaw);
    const raw = await timedBinds(overSql.slice(warm), clients, bindRaw);
    return { clients, graphql: { ...graphql, statements }, raw, refused: { ...refused, statements: refusedStatements }, ratio: graphql.perSecond / raw.perSecond, ...(await invariants(connections[0], [...overGraphQL, ...overSql])) };
  } finally {
    await Promise.all(connections.map((c) => c.end()));
  }
}
