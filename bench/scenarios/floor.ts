// The floor every figure is compared with: one indexed SELECT (a port by
// primary key) through the same Prisma client and pg pool the server uses.
import type { Database } from '../../src/store/db.js';
import { sampleLatency, type Latency } from '../measure.js';

export async function measureFloor(db: Database, iterations: number, warmup: number): Promise<Latency> {
  const rows = await db.prisma.$queryRaw<{ id: string }[]>`SELECT id FROM "Port" ORDER BY md5(id::text) LIMIT 1000`;
  const ids = rows.map((r) => r.id);
  return sampleLatency(iterations, warmup, async (i) => {
    await db.prisma.$queryRaw`SELECT id FROM "Port" WHERE id = ${ids[i % ids.length]}::uuid`;
  });
}
