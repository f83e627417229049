// A page of 100 VM ports as a dashboard lists them: each with its network,
// its fixed IPs with their subnets, its host and its security groups. The
// pages start at different cursors; the statement count must not depend on
// the page size (DataLoaders batch each kind of object).
import { encodeCursor } from '../../src/graphql/connection.js';
import type { Database } from '../../src/store/db.js';
import type { GraphQLClient } from '../client.js';
import { sampleLatency, type Latency } from '../measure.js';

export const PAGE = 100;

export const PORT_LIST_QUERY = `query Ports($after: String) {
  ports(first: ${PAGE}, after: $after, filter: { deviceOwner: "compute:nova" }) {
    nodes {
      id name macAddress status
      network { id name }
      fixedIps { ipAddress subnet { id cidr } }
      host { name }
      securityGroups { id name }
    }
  }
}`;

interface PortListAnswer {
  ports: { nodes: { host: { name: string } | null; securityGroups: unknown[]; fixedIps: { subnet: unknown }[] }[] };
}

export interface PortListFigures {
  latency: Latency;
  statements: { min: number; max: number };
}

export async function measurePortList(client: GraphQLClient, db: Database, iterations: number, warmup: number): Promise<PortListFigures> {
  // Cursors spread over the VM ports, each with a full page after it.
  const rows = await db.prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Port" WHERE "deviceOwner" = 'compute:nova' ORDER BY id OFFSET 0 LIMIT (SELECT greatest(count(*) - ${PAGE}, 1) FROM "Port" WHERE "deviceOwner" = 'compute:nova')`;
  const step = Math.max(1, Math.floor(rows.length / (iterations + warmup)));
  const cursors = rows.filter((_, i) => i % step === 0).map((r) => encodeCursor(r.id));
  let min = Infinity;
  let max = -Infinity;
  const latency = await sampleLatency(iterations, warmup, async (i) => {
    const { data, statements } = await client.request<PortListAnswer>(PORT_LIST_QUERY, { after: cursors[i % cursors.length] });
    const nodes = data.ports.nodes;
    if (nodes.length !== PAGE || nodes.some((p) => !p.host || p.securityGroups.length === 0 || p.fixedIps.some((ip) => !ip.subnet))) {
      throw new Error(`a page of ports came back incomplete: ${nodes.length} ports`);
    }
    min = Math.min(min, statements);
    max = Math.max(max, statements);
  });
  return { latency, statements: { min, max } };
}
