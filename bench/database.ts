// The benchmark's own database: created fresh on the PostgreSQL server of
// DATABASE_URL, migrated like a deployment, emptied between clouds, dropped
// at the end.
import pg from 'pg';
import type { DatabaseTarget } from '../src/config.js';
import type { Database } from '../src/store/db.js';
import { deployMigrations } from '../src/store/migrations/index.js';

export const DEFAULT_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  target: DatabaseTarget;
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const name = `ng_bench_${stamp}_${process.pid}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { kind: 'postgres', url: url.toString() };
  await deployMigrations(target);
  return {
    name,
    url: url.toString(),
    target,
    drop: () => onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * The model's tables, and what is kept beside them (the agents' local VLAN
 * sets, the ids every object holds, the change log), so that the next cloud
 * is imported into an empty model. TRUNCATE fires no row trigger: ObjectId
 * must be emptied with the objects.
 */
const MODEL_TABLES = [
  'Host', 'Network', 'SegmentAllocation', 'Subnet', 'SecurityGroup', 'SecurityGroupRule', 'Instance',
  'Router', 'RouterRoute', 'Port', 'IpAllocation', 'PortSecurityGroup', 'AllowedAddressPair', 'FloatingIp', 'LocalVlan',
  'LocalVlanPool', 'ObjectId', 'Change', 'ChangeSet',
];

export async function emptyModel(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${MODEL_TABLES.map((t) => `"${t}"`).join(', ')}`);
}
