// The floor every latency is compared with: one indexed SELECT (a port by
// primary key) through the same Prisma client and pg pool the server uses,
// sampled in blocks next to the requests it is compared with, so that both
// see the same machine (other processes, caches, CPU frequency).
import type { Database } from '../../src/store/db.js';

/** Times one floor query per call, in milliseconds. */
export type FloorProbe = () => Promise<number>;

export async function floorProbe(db: Database): Promise<FloorProbe> {
  const rows = await db.prisma.$queryRaw<{ id: string }[]>`SELECT id FROM "Port" ORDER BY md5(id::text) LIMIT 1000`;
  const ids = rows.map((r) => r.id);
  let next = 0;
  return async () => {
    const start = performance.now();
    await db.prisma.$queryRaw`SELECT id FROM "Port" WHERE id = ${ids[next++ % ids.length]}::uuid`;
    return performance.now() - start;
  };
}
