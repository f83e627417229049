// One process at a time on an embedded database: PGlite is PostgreSQL inside
// this process, and a second process opening the same folder would corrupt
// it. `serve` takes a lock file with its PID in the folder; another process
// is refused with the PID of the one serving and what to do instead. A lock
// whose process is gone (killed, crashed) is stale and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'neutron-graph.lock';

export class DataDirLockedError extends Error {}

export interface LockContent {
  pid: number;
  /** Where that process serves, for the message to the next one. */
  url?: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | null {
  try {
    const content = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    return Number.isInteger(content.pid) ? content : null;
  } catch {
    return null;
  }
}

/** The live process that holds the data directory's lock (where it serves, once it listens); null when none does. */
export function serverHolding(dataDir: string): LockContent | null {
  const holder = readLock(path.join(dataDir, LOCK_FILE));
  return holder && holder.pid !== process.pid && alive(holder.pid) ? holder : null;
}

export interface DataDirLock {
  /** Records where the server listens, for the message to a second process. */
  describe(url: string): void;
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, since: new Date().toISOString() };
  const write = (fd: number) => writeSync(fd, JSON.stringify(content) + '\n');
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      write(fd);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = serverHolding(dataDir);
      if (holder) {
        const where = holder.url ? ` at ${holder.url}` : '';
        throw new DataDirLockedError(
          `the embedded database in ${dataDir} is in use by neutron-graph process ${holder.pid}${where} (since ${holder.since}). ` +
            `Only one process may open it: use that server over HTTP instead (NG_URL=${holder.url ?? 'http://localhost:4000/graphql'} npm run cli -- ...), ` +
            `stop it first (kill -TERM ${holder.pid}), or set DATA_DIR to another folder or DATABASE_URL to a PostgreSQL database.`,
        );
      }
      // Stale: its process is gone.
      unlinkSync(file);
    }
  }
  return {
    describe: (url) => {
      content.url = url;
      const fd = openSync(file, 'w');
      write(fd);
      closeSync(fd);
    },
    release: () => {
      if (readLock(file)?.pid === process.pid) unlinkSync(file);
    },
  };
}
