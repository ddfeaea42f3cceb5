// The data directory holds what other users of the machine must not read:
// the database (imported and exportable certificate private keys, ACME
// account keys) and the CA's keys. localnet creates the directory 0700 and
// its secret files 0600, and tightens a directory or file it finds looser
// (one created by an older localnet, or by hand), saying so once per path.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** The files under the data directory that hold secrets (SQLite's WAL and SHM carry the database's pages). */
export const SECRET_FILES = ['localnet.db', 'localnet.db-wal', 'localnet.db-shm', 'localnet.lock', 'ca/root.key', 'ca/intermediate.key', 'ca/acme-intermediate.key'];
/** Directories under the data directory. */
const SUB_DIRS = ['ca'];

/**
 * Creates the data directory 0700 if missing; tightens it, its subdirectories
 * and SECRET_FILES when other users may read them, with one notice line each.
 */
export function secureDataDir(dir: string, log: (line: string) => void): void {
  if (createPrivateDir(dir)) return;
  tighten(dir, DIR_MODE, 'data directory', log);
  for (const d of SUB_DIRS) tighten(join(dir, d), DIR_MODE, 'directory', log);
  for (const f of SECRET_FILES) tighten(join(dir, f), FILE_MODE, 'file', log);
}

/** Creates `dir` (and its parents) 0700 unless it exists; true when it was created. */
export function createPrivateDir(dir: string): boolean {
  if (existsSync(dir)) return false;
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE); // mkdir's mode passes through the umask; say it exactly
  return true;
}

/**
 * Creates `file` empty with mode 0600 unless it exists, so that SQLite opens
 * a file only its owner can read (SQLite gives the -wal and -shm files the
 * database file's mode).
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', FILE_MODE));
}

function tighten(path: string, mode: number, what: string, log: (line: string) => void): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch {
    return; // not there: nothing to tighten
  }
  if ((current & 0o077) === 0) return;
  const how = current & 0o044 ? 'readable by' : 'open to';
  try {
    chmodSync(path, mode);
  } catch (err) {
    // Someone else's directory (a shared one the user may write to): say so and go on rather than refuse to start.
    log(`localnet: ${what} ${path} is ${how} other users (${octal(current)}) and could not be changed to ${octal(mode)}: ${(err as Error).message}`);
    return;
  }
  log(`localnet: ${what} ${path} was ${how} other users (${octal(current)}); now ${octal(mode)}`);
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;
