// A real `serve` process on a test database, ready when this resolves: for
// the tests of what only separate processes show (LISTEN/NOTIFY between
// them, the embedded database's lock, signals). Its stdout is kept (the
// first admin token is printed there); its stderr is the test's.
import { spawn, type ChildProcess } from 'node:child_process';
import type { DatabaseTarget } from '../../src/config.js';
import { freePort } from './freePort.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then its exit. */
  stop(): Promise<void>;
}

/** The first admin token a server printed at its first start, if it did. */
export const firstAdminToken = (stdout: string): string | null => /^ {4}(ngt_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1] ?? null;

export async function startServerProcess(target: DatabaseTarget, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const where = target.kind === 'postgres' ? { DATABASE_URL: target.url } : { DATABASE_URL: '', DATA_DIR: target.dataDir };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: { ...process.env, ...where, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SHUTDOWN_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) {
        return {
          child,
          url: `http://127.0.0.1:${port}/graphql`,
          stdout: () => out,
          exited,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await exited;
          },
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('serve did not become ready');
}
