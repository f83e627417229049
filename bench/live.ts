// The live side's benchmark (npm run bench:live): on a fresh PostgreSQL
// database served in this process, (1) the latency from a commit to its
// arrival at 1,000 open subscriptions of one process (Subscription.changes
// over graphql-ws, 10 connections of 100), measured from the change's
// commit time to the moment each subscriber's client receives it; (2) what
// the change log costs binds: concurrent bindPort rounds with the log's
// triggers on and off, alternated. Prints the figures; it fails only when
// the harness breaks, never because of a timing.
import os from 'node:os';
import { pino } from 'pino';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { openDatabase } from '../src/store/db.js';
import { GraphQLClient } from './client.js';
import { createBenchDatabase, DEFAULT_SERVER_URL } from './database.js';
import { latencyOf, runConcurrently } from './measure.js';

const SUBSCRIPTIONS = 1000;
const PER_CONNECTION = 100;
const COMMITS = 100;
const BIND_ROUNDS = 4;
const BINDS_PER_ROUND = 150;
const BIND_CLIENTS = 8;
const HOSTS = 6;
const LOGGED_TABLES = ['Host', 'Network', 'Subnet', 'Port', 'Instance', 'Router', 'FloatingIp', 'SecurityGroup', 'SecurityGroupRule', 'PortSecurityGroup', 'IpAllocation', 'AllowedAddressPair', 'RouterRoute', 'LocalVlan', 'SegmentAllocation'];

const log = (message: string) => process.stderr.write(`[bench:live] ${message}\n`);

async function main() {
  const database = await createBenchDatabase(process.env.DATABASE_URL || DEFAULT_SERVER_URL);
  const config = { ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH: 'off', COST_BUDGET_PER_MINUTE: '0', LOG_LEVEL: 'silent' }), database: database.target };
  const db = await openDatabase(config.database, { poolSize: 20 });
  const server = await startServer(config, db, pino({ level: 'silent' }), { sqlStats: true });
  const client = new GraphQLClient(server.url, BIND_CLIENTS);
  const clients: Client[] = [];
  try {
    // ---------------------------------------------------------------- latency
    log(`opening ${SUBSCRIPTIONS} subscriptions on ${SUBSCRIPTIONS / PER_CONNECTION} connections`);
    const arrivals: number[] = [];
    let received = 0;
    const committedAt = new Map<number, number>();
    const pending: { sequence: number; at: number }[] = [];
    let ready = 0;
    for (let c = 0; c < SUBSCRIPTIONS / PER_CONNECTION; c++) {
      const ws = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
      clients.push(ws);
      for (let i = 0; i < PER_CONNECTION; i++) {
        let first = true;
        ws.subscribe(
          { query: 'subscription { changes(filter: { objectType: HOST }) { sequence committedAt } }' },
          {
            next: ({ data }) => {
              const at = Date.now();
              const change = (data as { changes: { sequence: number; committedAt: string } }).changes;
              if (first) {
                first = false;
                ready++;
              }
              received++;
              pending.push({ sequence: change.sequence, at });
              committedAt.set(change.sequence, Date.parse(change.committedAt));
            },
            error: (error) => {
              throw new Error(`subscription failed: ${JSON.stringify(error)}`);
            },
            complete: () => undefined,
          },
        );
      }
    }
    // A host going down and up again: one change per commit, and no quota to run into.
    await client.request(`mutation { registerHost(input: { name: "flap", tunnelIp: "10.98.0.1", roles: [COMPUTE] }) { userErrors { message } } }`);
    let up = true;
    const commit = async () => {
      up = !up;
      const answer = await client.request<{ setHostStatus: { userErrors: unknown[] } }>(`mutation($up: Boolean!) { setHostStatus(input: { hostName: "flap", up: $up }) { userErrors { message } } }`, { up });
      if (answer.data.setHostStatus.userErrors.length) throw new Error(JSON.stringify(answer.data.setHostStatus.userErrors));
    };
    // Warm-up: every subscription has received one change.
    for (let i = 0; ready < SUBSCRIPTIONS && i < 200; i++) {
      await commit();
      await new Promise((r) => setTimeout(r, 100));
    }
    if (ready < SUBSCRIPTIONS) throw new Error(`only ${ready} of ${SUBSCRIPTIONS} subscriptions are live`);
    pending.length = 0;
    received = 0;
    log(`${COMMITS} commits, one at a time, each delivered to ${SUBSCRIPTIONS} subscribers`);
    for (let i = 0; i < COMMITS; i++) {
      const expected = received + SUBSCRIPTIONS;
      await commit();
      for (let wait = 0; received < expected; wait++) {
        if (wait > 10_000) throw new Error('a change did not reach every subscriber in 10 s');
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    for (const { sequence, at } of pending) arrivals.push(at - committedAt.get(sequence)!);
    arrivals.sort((a, b) => a - b);
    const latency = latencyOf(arrivals);

    // ---------------------------------------------------------------- binds
    log('creating the ports to bind');
    // More networks and ports than Neutron's default quotas allow one project.
    for (const resource of ['NETWORK', 'SUBNET', 'PORT']) {
      await client.request(`mutation($r: QuotaResource!) { setQuota(input: { projectId: "bench", resource: $r, limit: -1 }) { userErrors { message } } }`, { r: resource });
    }
    for (let h = 0; h < HOSTS; h++) {
      await client.request(`mutation($i: RegisterHostInput!) { registerHost(input: $i) { userErrors { message } } }`, { i: { name: `c-${h}`, tunnelIp: `10.99.0.${h + 1}`, roles: ['COMPUTE'] } });
    }
    const ports: { portId: string; hostName: string }[] = [];
    const networks: string[] = [];
    for (let n = 0; n < (BIND_ROUNDS * BINDS_PER_ROUND) / 10; n++) {
      const created = (await client.request(`mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id } userErrors { message } } }`, { i: { name: `n-${n}`, projectId: 'bench' } })).data.createNetwork;
      if (!created.network) throw new Error(JSON.stringify(created.userErrors));
      const net = created.network.id;
      await client.request(`mutation($i: CreateSubnetInput!) { createSubnet(input: $i) { userErrors { message } } }`, { i: { networkId: net, cidr: `10.${100 + Math.floor(n / 250)}.${n % 250}.0/24`, enableDhcp: false } });
      networks.push(net);
    }
    for (let p = 0; p < BIND_ROUNDS * BINDS_PER_ROUND; p++) {
      const port = (await client.request(`mutation($i: CreatePortInput!) { createPort(input: $i) { port { id } } }`, { i: { networkId: networks[p % networks.length], projectId: 'bench' } })).data.createPort.port.id;
      ports.push({ portId: port, hostName: `c-${Math.floor(p / 2) % HOSTS}` });
    }
    const setLog = async (on: boolean) => {
      for (const table of LOGGED_TABLES) await db.prisma.$executeRawUnsafe(`ALTER TABLE "${table}" ${on ? 'ENABLE' : 'DISABLE'} TRIGGER "ChangeLog"`);
    };
    const rates: { on: number[]; off: number[] } = { on: [], off: [] };
    for (let round = 0; round < BIND_ROUNDS; round++) {
      const on = round % 2 === 0;
      await setLog(on);
      const batch = ports.slice(round * BINDS_PER_ROUND, (round + 1) * BINDS_PER_ROUND);
      const ms = await runConcurrently(batch, BIND_CLIENTS, async (p) => {
        const answer = await client.request<{ bindPort: { userErrors: unknown[] } }>(`mutation($i: BindPortInput!) { bindPort(input: $i) { userErrors { message } } }`, { i: p });
        if (answer.data.bindPort.userErrors.length) throw new Error(`bind refused: ${JSON.stringify(answer.data.bindPort.userErrors)}`);
      });
      (on ? rates.on : rates.off).push((batch.length / ms) * 1000);
      log(`round ${round + 1}: log ${on ? 'on' : 'off'}, ${((batch.length / ms) * 1000).toFixed(0)} binds/s`);
    }
    await setLog(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const bindsOn = mean(rates.on);
    const bindsOff = mean(rates.off);
    const cost = (1 - bindsOn / bindsOff) * 100;

    const lines = [
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, PostgreSQL`,
      `notification latency, commit to subscriber, ${SUBSCRIPTIONS} subscriptions on one process, ${COMMITS} commits (${arrivals.length} arrivals): p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms (target p99 ≤ 100 ms: ${latency.p99 <= 100 ? 'met' : 'NOT met'})`,
      `binds, ${BIND_CLIENTS} clients, ${BINDS_PER_ROUND} per round, rounds alternated: log on ${bindsOn.toFixed(0)}/s, log off ${bindsOff.toFixed(0)}/s, cost ${cost.toFixed(1)} % (target ≤ 10 %: ${cost <= 10 ? 'met' : 'NOT met'})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    client.close();
    await server.stop();
    await db.close();
    await database.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
