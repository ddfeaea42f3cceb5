// One localnet per data directory. Two processes on one directory would each
// serve their own DNS and load balancers from a database the other writes
// behind their back, and fight over its write lock. The first to start holds
// an exclusive lock for its whole life; a second start is refused with a
// message naming the first.
//
// The lock is an OS-level one: SQLite's exclusive locking mode on a small
// database of its own (localnet.lock), which holds a POSIX lock on the file
// until the connection closes. The kernel drops it when the process ends,
// however it ends (kill -9 included), so a stale lock never blocks a restart
// and no pid has to be checked for liveness. Who holds it (pid, endpoint) is
// written beside it in localnet.pid, since nobody else can read a database
// locked that way.
import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateFile, FILE_MODE } from './data-dir.ts';

export interface DataDirLock {
  /** The endpoint the holder answers on, for the message a second start prints. */
  announce(endpoint: string): void;
  /** Releases the lock (the process ends, or closes localnet). */
  release(): void;
}

/** What localnet.pid says about the process that holds the lock. */
export interface LockHolder {
  pid: number;
  dataDir: string;
  endpoint?: string;
}

/** A second start on a data directory another localnet holds. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder | undefined) {
    super(inUseMessage(dataDir, holder));
    this.name = 'DataDirInUseError';
  }
}

export function lockFiles(dataDir: string): { lock: string; holder: string } {
  return { lock: join(dataDir, 'localnet.lock'), holder: join(dataDir, 'localnet.pid') };
}

/** Takes the data directory's lock, or throws DataDirInUseError naming the process that holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const files = lockFiles(dataDir);
  createPrivateFile(files.lock);
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of after better-sqlite3's default 5 s wait.
  const db = new Database(files.lock, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write transaction takes the exclusive lock; in this mode it is kept after COMMIT.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir, readHolder(files.holder));
    throw err;
  }
  const holder: LockHolder = { pid: process.pid, dataDir };
  const write = () => writeFileSync(files.holder, `${JSON.stringify(holder)}\n`, { mode: FILE_MODE });
  write();
  let held = true;
  return {
    announce(endpoint) {
      holder.endpoint = endpoint;
      if (held) write();
    },
    release() {
      if (!held) return;
      held = false;
      rmSync(files.holder, { force: true });
      db.close();
    },
  };
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    return undefined; // the holder is between taking the lock and writing the file, or someone removed it
  }
}

function inUseMessage(dataDir: string, holder: LockHolder | undefined): string {
  if (!holder) return `localnet is already running on data directory ${dataDir} (another process holds ${join(dataDir, 'localnet.lock')}); \`localnet status\` shows it`;
  const where = holder.endpoint ? `running at ${holder.endpoint}` : 'starting';
  return `localnet is already ${where} (pid ${holder.pid}, data dir ${dataDir}); \`localnet status\` shows it`;
}
