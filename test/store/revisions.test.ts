// Store.revisions: a resource's revision changes whenever it is put (so a
// reader may keep what it derived from a body until then), stays put
// otherwise, comes back with its body on a rollback, and is never reused for
// a resource deleted and created again; a database from before revisions
// opens with every resource at revision 0.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Scope, Store } from '../../src/store/store.ts';
import { ReadTracker, recordWrites } from '../../src/store/tracking.ts';

const A: Scope = { account: '111111111111', region: 'global' };
const B: Scope = { account: '222222222222', region: 'global' };
const revs = (store: Store, kind = 'test:zone') => Object.fromEntries(store.revisions(kind).map((r) => [`${r.scope.account}/${r.id}`, r.rev]));

describe('Store.revisions', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'localnet-revisions-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists every resource of a kind in every scope, oldest first, with a revision that moves on each put only', () => {
    const store = openSqliteStore(':memory:');
    store.put('test:zone', A, 'z1', { n: 1 });
    store.put('test:zone', B, 'z2', { n: 1 });
    store.put('test:other', A, 'o1', { n: 1 });
    assert.deepEqual(store.revisions('test:zone').map((r) => [r.scope, r.id]), [[A, 'z1'], [B, 'z2']]);
    const before = revs(store);
    store.put('test:zone', A, 'z1', { n: 2 });
    store.put('test:other', A, 'o1', { n: 2 });
    const afterPut = revs(store);
    assert.notEqual(afterPut['111111111111/z1'], before['111111111111/z1']);
    assert.equal(afterPut['222222222222/z2'], before['222222222222/z2'], 'an untouched resource keeps its revision');

    assert.throws(() => store.transaction(() => {
      store.put('test:zone', B, 'z2', { n: 99 });
      throw new Error('rolled back');
    }));
    assert.deepEqual(revs(store), afterPut, 'a rollback brings the revision back with the body');

    const old = afterPut['111111111111/z1'];
    store.delete('test:zone', A, 'z1');
    store.put('test:zone', A, 'z1', { n: 1 });
    assert.ok(revs(store)['111111111111/z1'] > old, 'created again: a revision never seen before');
    store.clear();
    store.put('test:zone', A, 'z1', { n: 1 });
    assert.ok(revs(store)['111111111111/z1'] > old);
    store.close();
  });

  it('continues above the highest revision after a restart, and gives rows of a database from before revisions revision 0', () => {
    const file = join(tmp, 'old.db');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    for (let v = 0; v < 2; v++) db.exec(MIGRATIONS[v]);
    db.exec('INSERT INTO schema_version (version) VALUES (2)');
    db.prepare('INSERT INTO resources (kind, account, region, id, seq, body) VALUES (?, ?, ?, ?, ?, ?)').run('test:zone', A.account, A.region, 'z0', 1, '{"n":0}');
    db.close();
    let store = openSqliteStore(file);
    assert.deepEqual(revs(store), { '111111111111/z0': 0 });
    store.put('test:zone', A, 'z1', { n: 1 });
    const r1 = revs(store)['111111111111/z1'];
    store.close();
    store = openSqliteStore(file);
    store.put('test:zone', A, 'z2', { n: 1 });
    assert.ok(revs(store)['111111111111/z2'] > r1);
    assert.deepEqual(store.get('test:zone', A, 'z0'), { n: 0 });
    store.close();
  });

  it('is a read the trackers see (a view built from revisions is rebuilt after a write to that kind)', () => {
    const store = openSqliteStore(':memory:');
    const tracker = new ReadTracker(store);
    tracker.restart();
    tracker.store.revisions('test:zone');
    tracker.complete();
    assert.equal(tracker.affects(new Set(['test:zone'])), true);
    assert.equal(tracker.affects(new Set(['test:other'])), false);
    const written = new Set<string>();
    const writer = recordWrites(store, written);
    writer.put('test:zone', A, 'z', {});
    assert.deepEqual(writer.revisions('test:zone').map((r) => r.id), ['z']);
    store.close();
  });
});
