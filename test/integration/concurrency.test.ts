// Two server processes on one PostgreSQL allocate concurrently: no
// duplicate VLAN or segment, no lost port. PostgreSQL only: an embedded
// PGlite belongs to one process.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../support/freePort.js';
import pg from 'pg';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';

const describePostgres = usingPostgres() ? describe : describe.skip;

async function startProcess(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`server on port ${port} did not become ready`);
}

describePostgres('two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  const children: ChildProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = (database.target as { url: string }).url;
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      children.push(await startProcess(url, port));
      urls.push(`http://127.0.0.1:${port}/graphql`);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); })));
    await database?.drop();
  });

  const gql = async (i: number, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(urls[i % 2], { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data: any; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  it('binds 200 ports of 40 networks onto 5 hosts without a duplicate or a loss', async () => {
    for (let h = 0; h < 5; h++) {
      await gql(h, `mutation($i: RegisterHostInput!) { registerHost(input: $i) { userErrors { message } } }`, { i: { name: `cc-${h}`, tunnelIp: `10.200.0.${h + 1}`, roles: ['COMPUTE'] } });
    }
    // 40 networks created at once through both processes: 40 distinct VNIs.
    const networks = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        gql(n, `mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id segmentationId } userErrors { message } } }`, { i: { name: `cc-net-${n}`, projectId: 'cc' } }),
      ),
    );
    const vnis = networks.map((r) => r.createNetwork.network.segmentationId).sort((a: number, b: number) => a - b);
    expect(vnis).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const networkIds: string[] = networks.map((r) => r.createNetwork.network.id);
    for (const [n, networkId] of networkIds.entries()) {
      await gql(n, `mutation($i: CreateSubnetInput!) { createSubnet(input: $i) { userErrors { message } } }`, { i: { networkId, cidr: `10.${100 + n}.0.0/24`, enableDhcp: false } });
    }
    const ports: { id: string; networkId: string }[] = [];
    for (let p = 0; p < 200; p++) {
      const networkId = networkIds[p % 40];
      const r = await gql(p, `mutation($i: CreatePortInput!) { createPort(input: $i) { port { id } userErrors { message } } }`, { i: { networkId } });
      ports.push({ id: r.createPort.port.id, networkId });
    }
    // 200 binds at once, alternating between the two processes.
    const results = await Promise.all(
      ports.map((port, p) =>
        gql(p, `mutation($i: BindPortInput!) { bindPort(input: $i) { port { id status } userErrors { code message } } }`, { i: { portId: port.id, hostName: `cc-${Math.floor(p / 40)}` } }),
      ),
    );
    expect(results.flatMap((r) => r.bindPort.userErrors)).toEqual([]);
    expect(results.every((r) => r.bindPort.port.status === 'ACTIVE')).toBe(true);

    const hosts = await gql(0, `{ hosts(filter: { nameContains: "cc-" }) { nodes { name localVlans { vlan network { id } } } } }`);
    let boundNetworks = 0;
    for (const host of hosts.hosts.nodes) {
      const vlans = host.localVlans.map((v: { vlan: number }) => v.vlan);
      const nets = new Set(host.localVlans.map((v: { network: { id: string } }) => v.network.id));
      // Lowest free with no release: exactly 1..n, each VLAN and each network once.
      expect(vlans).toEqual(Array.from({ length: vlans.length }, (_, i) => i + 1));
      expect(nets.size).toBe(vlans.length);
      boundNetworks += vlans.length;
    }
    // Port p goes to network p % 40 on host floor(p / 40): every host wires all 40 networks.
    expect(boundNetworks).toBe(200);
    expect(hosts.hosts.nodes.map((h: { localVlans: unknown[] }) => h.localVlans.length)).toEqual([40, 40, 40, 40, 40]);
    const count = await gql(0, `{ ports(filter: { projectId: "cc", status: ACTIVE }) { totalCount } }`);
    expect(count.ports.totalCount).toBe(200);
  }, 120_000);

  it('moves ports between two hosts in both directions at once without a deadlock', async () => {
    const { ports } = await gql(0, `{ ports(first: 500, filter: { projectId: "cc" }) { nodes { id network { id } host { name } } } }`);
    type Row = { id: string; network: { id: string }; host: { name: string } };
    const from = (name: string) => (ports.nodes as Row[]).filter((p) => p.host.name === name);
    // Every port of cc-0 goes to cc-1 and every port of cc-1 to cc-0, through both processes at once.
    const moves = [...from('cc-0').map((p) => ({ portId: p.id, hostName: 'cc-1' })), ...from('cc-1').map((p) => ({ portId: p.id, hostName: 'cc-0' }))];
    expect(moves).toHaveLength(80);
    const deadlocks = async () => {
      const client = new pg.Client({ connectionString: (database.target as { url: string }).url });
      await client.connect();
      try {
        // Backends report their counters within a second of going idle.
        await new Promise((r) => setTimeout(r, 1500));
        const { rows } = await client.query<{ n: string }>('SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()');
        return Number(rows[0].n);
      } finally {
        await client.end();
      }
    };
    const before = await deadlocks();
    const results = await Promise.all(
      moves.map((input, i) => gql(i, `mutation($i: BindPortInput!) { bindPort(input: $i) { port { id } userErrors { code message } } }`, { i: input })),
    );
    expect(results.flatMap((r) => r.bindPort.userErrors)).toEqual([]);
    // Hosts lock in one order (lockHosts), so two moves the other way round wait for each other instead of deadlocking.
    expect(await deadlocks()).toBe(before);

    const after = await gql(0, `{ hosts(filter: { nameContains: "cc-" }) { nodes { name localVlans { vlan network { id } } } } }`);
    for (const host of after.hosts.nodes.filter((h: { name: string }) => h.name === 'cc-0' || h.name === 'cc-1')) {
      // Each still holds all 40 networks, each once, each on a VLAN of its own. Which ones depends on
      // the order the moves ran in: the agent's set.pop() goes on past the last VLAN it gave.
      const vlans = host.localVlans.map((v: { vlan: number }) => v.vlan);
      expect(new Set(vlans).size).toBe(40);
      expect(vlans.every((v: number) => v >= 1 && v <= 4094)).toBe(true);
      expect(new Set(host.localVlans.map((v: { network: { id: string } }) => v.network.id)).size).toBe(40);
    }
    const moved = await gql(0, `{ ports(first: 500, filter: { projectId: "cc" }) { nodes { id host { name } } } }`);
    const hostOf = new Map((moved.ports.nodes as { id: string; host: { name: string } }[]).map((p) => [p.id, p.host.name]));
    expect(moves.every((m) => hostOf.get(m.portId) === m.hostName)).toBe(true);
  }, 120_000);
});
