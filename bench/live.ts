// The live side's benchmark (npm run bench:live): on a fresh PostgreSQL
// database served in this process, (1) the latency from a commit to its
// arrival at 1,000 open subscriptions of one process (Subscription.changes
// over graphql-ws, 10 connections of 100), measured from the change's
// commit time to the moment each subscriber's client receives it, the
// clients in a child process (bench/liveClients.ts) so that the figure is
// the server's; (2) what the change log costs binds: concurrent bindPort
// rounds with the log's triggers on and off, alternated. Prints the
// figures; it fails only when the harness breaks, never because of a
// timing. Flags: --latency-only skips (2); --commits N (default 100).
import os from 'node:os';
import { fork } from 'node:child_process';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { openDatabase } from '../src/store/db.js';
import { GraphQLClient } from './client.js';
import { createBenchDatabase, DEFAULT_SERVER_URL } from './database.js';
import { latencyOf, runConcurrently } from './measure.js';
import { latestSequence } from '../src/services/changes/read.js';
import type { FromClients, ToClients } from './liveClients.js';

const SUBSCRIPTIONS = 1000;
const PER_CONNECTION = 100;
const BIND_ROUNDS = 4;
const BINDS_PER_ROUND = 150;
const BIND_CLIENTS = 8;
const HOSTS = 6;
const LOGGED_TABLES = ['Host', 'Network', 'Subnet', 'Port', 'Instance', 'Router', 'FloatingIp', 'SecurityGroup', 'SecurityGroupRule', 'PortSecurityGroup', 'IpAllocation', 'AllowedAddressPair', 'RouterRoute', 'LocalVlan', 'SegmentAllocation'];

const log = (message: string) => process.stderr.write(`[bench:live] ${message}\n`);

function flags(argv: string[]) {
  const latencyOnly = argv.includes('--latency-only');
  const at = argv.indexOf('--commits');
  const commits = at === -1 ? 100 : Number(argv[at + 1]);
  if (!Number.isInteger(commits) || commits < 1) throw new Error('usage: npm run bench:live -- [--latency-only] [--commits N]');
  return { latencyOnly, commits };
}

/** The subscribers' process: its messages, awaited one kind at a time. */
function startClients(url: string) {
  const child = fork(new URL('./liveClients.ts', import.meta.url), [url, String(SUBSCRIPTIONS), String(PER_CONNECTION)], { execArgv: ['--import', 'tsx'] });
  const waiting = new Map<string, (message: FromClients) => void>();
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    for (const resolve of waiting.values()) resolve({ type: 'failed', message: error.message });
    waiting.clear();
  };
  /** The newest change that has reached every subscription. */
  let delivered = 0;
  child.on('message', (message: FromClients) => {
    if (message.type === 'failed') return fail(new Error(message.message));
    if (message.type === 'delivered') delivered = Math.max(delivered, message.sequence);
    const resolve = waiting.get(message.type);
    waiting.delete(message.type);
    resolve?.(message);
  });
  child.on('exit', (code) => code && fail(new Error(`the clients' process exited with ${code}`)));
  return {
    next<K extends FromClients['type']>(type: K, timeoutMs: number): Promise<Extract<FromClients, { type: K }>> {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${type}' from the clients in ${timeoutMs} ms`)), timeoutMs);
        waiting.set(type, (message) => {
          clearTimeout(timer);
          if (message.type === 'failed') reject(new Error(message.message));
          else resolve(message as Extract<FromClients, { type: K }>);
        });
      });
    },
    /** Waits until the change `sequence` has reached every subscription. */
    async reached(sequence: number, timeoutMs: number): Promise<void> {
      while (delivered < sequence) await this.next('delivered', timeoutMs);
    },
    send: (message: ToClients) => child.send(message),
    kill: () => child.connected && child.kill(),
  };
}

async function main() {
  const { latencyOnly, commits } = flags(process.argv.slice(2));
  const database = await createBenchDatabase(process.env.DATABASE_URL || DEFAULT_SERVER_URL);
  const config = { ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH: 'off', COST_BUDGET_PER_MINUTE: '0', LOG_LEVEL: 'silent' }), database: database.target };
  const db = await openDatabase(config.database, { poolSize: 20 });
  const server = await startServer(config, db, pino({ level: 'silent' }), { sqlStats: true });
  const client = new GraphQLClient(server.url, BIND_CLIENTS);
  let clients: ReturnType<typeof startClients> | null = null;
  try {
    // ---------------------------------------------------------------- latency
    log(`opening ${SUBSCRIPTIONS} subscriptions on ${SUBSCRIPTIONS / PER_CONNECTION} connections in a child process`);
    clients = startClients(server.url.replace(/^http/, 'ws'));
    // A host going down and up again: one change per commit, and no quota to run into.
    await client.request(`mutation { registerHost(input: { name: "flap", tunnelIp: "10.98.0.1", roles: [COMPUTE] }) { userErrors { message } } }`);
    let up = true;
    const commit = async () => {
      up = !up;
      const answer = await client.request<{ setHostStatus: { userErrors: unknown[] } }>(`mutation($up: Boolean!) { setHostStatus(input: { hostName: "flap", up: $up }) { userErrors { message } } }`, { up });
      if (answer.data.setHostStatus.userErrors.length) throw new Error(JSON.stringify(answer.data.setHostStatus.userErrors));
    };
    // Warm-up: commits until every subscription has received one change.
    const live = clients.next('live', 60_000);
    let isLive = false;
    void live.then(() => (isLive = true), () => undefined);
    for (let i = 0; !isLive && i < 200; i++) {
      await commit();
      await new Promise((r) => setTimeout(r, 100));
    }
    await live;
    // What the warm-up sent is on its way still: let it arrive before counting.
    await new Promise((r) => setTimeout(r, 1000));
    clients.send({ type: 'reset' });
    log(`${commits} commits, one at a time, each delivered to ${SUBSCRIPTIONS} subscribers`);
    for (let i = 0; i < commits; i++) {
      await commit();
      await clients.reached(await latestSequence(db.prisma), 10_000);
    }
    clients.send({ type: 'stop' });
    const arrivals = (await clients.next('latencies', 10_000)).millis;
    const latency = latencyOf(arrivals);
    const round = (ms: number) => Math.round(ms);
    const lines = [
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, PostgreSQL, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
      `notification latency, commit to subscriber, ${SUBSCRIPTIONS} subscriptions on one process, clients in another, ${commits} commits (${arrivals.length} arrivals): p50 ${round(latency.p50)} ms, p99 ${round(latency.p99)} ms, max ${round(latency.max)} ms (target p99 ≤ 100 ms: ${latency.p99 <= 100 ? 'met' : 'NOT met'})`,
    ];
    if (latencyOnly) {
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }

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

    lines.push(
      `binds, ${BIND_CLIENTS} clients, ${BINDS_PER_ROUND} per round, rounds alternated: log on ${bindsOn.toFixed(0)}/s, log off ${bindsOff.toFixed(0)}/s, cost ${cost.toFixed(1)} % (target ≤ 10 %: ${cost <= 10 ? 'met' : 'NOT met'})`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    clients?.kill();
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
