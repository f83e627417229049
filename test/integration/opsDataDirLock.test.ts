// Two processes on one embedded database: the second `serve` is refused with
// the first one's PID, where it serves and what to do instead; the lock goes
// with a clean stop, and a lock left by a process that is gone is taken over.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../support/freePort.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { LOCK_FILE } from '../../src/store/dataDirLock.js';

jest.setTimeout(180_000);

const env = (dataDir: string, port: number) => ({ ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH: 'off', NODE_ENV: 'production', SHUTDOWN_DELAY_MS: '0' });

async function serve(dataDir: string): Promise<{ child: ChildProcess; port: number; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], { env: env(dataDir, port), stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return { child, port, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('serve did not become ready');
}

describe('one process per embedded database', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ng-lock-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second server with the first one\'s PID and URL, and frees the folder on stop', async () => {
    const first = await serve(dataDir);
    try {
      const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], { env: env(dataDir, 0), encoding: 'utf8', timeout: 60_000 });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`in use by neutron-graph process ${first.child.pid} at http://127.0.0.1:${first.port}/graphql`);
      expect(second.stderr).toContain('use that server over HTTP instead');
      // The first server was not disturbed.
      expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: Number(gone.stdout), since: '2026-01-01T00:00:00Z' }));
    const server = await serve(dataDir);
    try {
      expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(server.child.pid);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  });
});
