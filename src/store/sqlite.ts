// The embedded default Store: one SQLite file in the data directory.
// WAL mode: a committed transaction is in the log before the API answers, so
// it survives kill -9 of localnet (synchronous=NORMAL only risks the last
// transactions on power loss, not on a process crash).
// The file is created 0600 in a 0700 directory (it holds private keys);
// SQLite gives the -wal and -shm files the database file's mode.
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { createPrivateDir, createPrivateFile } from './data-dir.ts';
import { MIGRATIONS } from './migrations.ts';
import type { Scope, Store } from './store.ts';

export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') {
    createPrivateDir(dirname(file));
    createPrivateFile(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const q = {
    get: db.prepare('SELECT body FROM resources WHERE kind = ? AND account = ? AND region = ? AND id = ?').pluck(),
    list: db.prepare('SELECT body FROM resources WHERE kind = ? AND account = ? AND region = ? ORDER BY seq').pluck(),
    listAll: db.prepare('SELECT account, region, body FROM resources WHERE kind = ? ORDER BY seq'),
    seq: db.prepare('SELECT seq FROM resources WHERE kind = ? AND account = ? AND region = ? AND id = ?').pluck(),
    nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM resources').pluck(),
    put: db.prepare('INSERT INTO resources (kind, account, region, id, seq, body, rev) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, account, region, id) DO UPDATE SET body = excluded.body, rev = excluded.rev'),
    revisions: db.prepare('SELECT account, region, id, rev FROM resources WHERE kind = ? ORDER BY seq'),
    del: db.prepare('DELETE FROM resources WHERE kind = ? AND account = ? AND region = ? AND id = ?'),
    clear: db.prepare('DELETE FROM resources'),
  };
  // The last revision given out. One process writes the database (the data
  // directory's lock), so a counter here is enough (a rollback restores a
  // row's revision with its body; the counter only skips a number).
  let lastRev = db.prepare('SELECT COALESCE(MAX(rev), 0) FROM resources').pluck().get() as number;
  /** listWhere's statement per member name; the path is spelled as the indexes of migration 2 spell it. */
  const where = new Map<string, Database.Statement>();
  const listWhere = (field: string): Database.Statement => {
    let stmt = where.get(field);
    if (!stmt) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new Error(`listWhere: '${field}' is not a member name`);
      stmt = db.prepare(`SELECT body FROM resources WHERE kind = ? AND account = ? AND region = ? AND json_extract(body, '$.${field}') = ? ORDER BY seq`).pluck();
      where.set(field, stmt);
    }
    return stmt;
  };

  return {
    // BEGIN IMMEDIATE: a write transaction takes the write lock when it begins,
    // so a writer that has to wait does so in busy_timeout instead of failing
    // with SQLITE_BUSY when a read inside it tries to become a write.
    transaction: (fn) => db.transaction(fn).immediate(),
    get: (kind, s, id) => {
      const body = q.get.get(kind, s.account, s.region, id) as string | undefined;
      return body === undefined ? undefined : JSON.parse(body);
    },
    list: (kind, s) => (q.list.all(kind, s.account, s.region) as string[]).map((b) => JSON.parse(b)),
    listAll: (kind) =>
      (q.listAll.all(kind) as { account: string; region: string; body: string }[]).map((r) => ({
        scope: { account: r.account, region: r.region } as Scope,
        value: JSON.parse(r.body),
      })),
    listWhere: (kind, s, field, value) => (listWhere(field).all(kind, s.account, s.region, value) as string[]).map((b) => JSON.parse(b)),
    revisions: (kind) =>
      (q.revisions.all(kind) as { account: string; region: string; id: string; rev: number }[]).map((r) => ({
        scope: { account: r.account, region: r.region } as Scope,
        id: r.id,
        rev: r.rev,
      })),
    put: (kind, s, id, value) => {
      const seq = (q.seq.get(kind, s.account, s.region, id) as number | undefined) ?? (q.nextSeq.get() as number);
      q.put.run(kind, s.account, s.region, id, seq, JSON.stringify(value), ++lastRev);
    },
    delete: (kind, s, id) => q.del.run(kind, s.account, s.region, id).changes > 0,
    clear: () => void q.clear.run(),
    close: () => db.close(),
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) FROM schema_version').pluck().get() as number | null) ?? 0;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    }).immediate();
  }
}
