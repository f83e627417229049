// `serve` on a fresh embedded database loads the demo cloud and says so
// with the first admin token; started again on the same folder, it adds
// nothing. Which databases and modes load it (DEMO, PostgreSQL,
// production) is decided by demoWanted, checked at the end. Embedded only:
// the PostgreSQL run would start the same processes on the same embedded
// database again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { freePort } from '../support/freePort.js';
import { usingPostgres } from '../support/database.js';
import { loadConfig } from '../../src/config.js';
import { demoWanted } from '../../src/demoAtStart.js';

jest.setTimeout(180_000);
const describeEmbedded = usingPostgres() ? describe.skip : describe;

interface Started {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout so far. */
  output: () => string;
}

/** Starts `serve` on dataDir and waits until its stdout holds `until`. */
async function serve(dataDir: string, until: RegExp): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', AUTH: 'on', SHUTDOWN_DELAY_MS: '0' };
  delete env.DEMO;
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  for (let i = 0; i < 1200 && !until.test(out); i++) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!until.test(out)) {
    child.kill('SIGKILL');
    throw new Error(`serve never wrote ${until}: ${out}`);
  }
  return { child, url: `http://127.0.0.1:${port}/graphql`, output: () => out };
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  return exited;
}

const COUNTS = '{ hosts(first: 1) { totalCount } networks(first: 1) { totalCount } instances(first: 100) { totalCount nodes { name projectId } } changes(first: 1, order: NEWEST_FIRST) { nodes { sequence } } }';

async function model(url: string, token: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: COUNTS }) });
  const body = (await res.json()) as { data: any; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

describeEmbedded('the demo cloud at the first start', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ng-demo-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loads the demo into a fresh embedded database and says so with the token; a second start adds nothing', async () => {
    const first = await serve(dataDir, /FIRST ADMIN API TOKEN[\s\S]*={72}\n/);
    let token: string;
    let loaded: Awaited<ReturnType<typeof model>>;
    try {
      token = /^ {4}(\S+)$/m.exec(first.output())![1];
      expect(first.output()).toMatch(/The demo cloud is loaded \(4 hosts, 9 networks, 15 instances, 4 routers\)/);
      expect(first.output()).toContain('"msg":"demo cloud loaded: 4 hosts');
      loaded = await model(first.url, token);
      const p1 = loaded.instances.nodes.filter((i: { projectId: string }) => i.projectId === 'p1').map((i: { name: string }) => i.name);
      expect(p1).toEqual(expect.arrayContaining(['test', 'test2', 'jailed']));
      expect(loaded.hosts.totalCount).toBe(4);
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await serve(dataDir, /the model is not empty: the demo cloud is not loaded/);
    try {
      expect(second.output()).not.toContain('FIRST ADMIN API TOKEN');
      expect(await model(second.url, token)).toEqual(loaded);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });
});

describe('which starts load the demo', () => {
  const wanted = (env: Record<string, string>) => demoWanted(loadConfig({ DATA_DIR: 'memory://', ...env }));

  it('loads it on the embedded database outside production unless DEMO=off', () => {
    expect(wanted({})).toBe(true);
    expect(wanted({ DEMO: 'off' })).toBe(false);
  });

  it('loads it on PostgreSQL or in production only with DEMO=on', () => {
    const pg = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres' };
    expect(wanted(pg)).toBe(false);
    expect(wanted({ NODE_ENV: 'production' })).toBe(false);
    expect(wanted({ ...pg, DEMO: 'on' })).toBe(true);
    expect(wanted({ NODE_ENV: 'production', DEMO: 'on' })).toBe(true);
  });

  it('refuses a DEMO that is neither on nor off', () => {
    expect(() => wanted({ DEMO: 'yes' })).toThrow("DEMO must be 'on' or 'off', got 'yes'");
  });
});
