// What the figures were measured on: they mean little without it.
import os from 'node:os';
import { Prisma } from '../src/generated/prisma/client.js';
import type { Database } from '../src/store/db.js';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  /** The server's NODE_ENV. */
  nodeEnv: string;
  postgres: string;
  prisma: string;
  date: string;
}

export async function describeMachine(db: Database): Promise<Machine> {
  const [{ version }] = await db.prisma.$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    nodeEnv: process.env.NODE_ENV ?? '(unset)',
    postgres: version,
    prisma: Prisma.prismaVersion.client,
    date: new Date().toISOString().slice(0, 10),
  };
}
