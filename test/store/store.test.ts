// The SQLite store's narrower reads (listWhere, answered from indexes) and
// the wrappers that say which kinds a request wrote and a view read
// (src/store/tracking.ts); the change events a real localnet emits with them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, AuthorizeSecurityGroupIngressCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { INDEXED_FIELDS, type Scope } from '../../src/store/store.ts';
import { ReadTracker, recordWrites } from '../../src/store/tracking.ts';
import { ec2Client, startTestLocalnet } from '../helpers/localnet.ts';

const A: Scope = { account: '111111111111', region: 'us-east-1' };
const B: Scope = { account: '222222222222', region: 'us-east-1' };

describe('SQLite store: listWhere', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'localnet-store-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is list().filter(member === value): same records, same (creation) order, scoped, for indexed and other members', () => {
    const store = openSqliteStore(join(tmp, 'where.db'));
    for (let i = 0; i < 30; i++) store.put('ec2:subnet', A, `subnet-${i}`, { SubnetId: `subnet-${i}`, VpcId: `vpc-${i % 3}`, Zone: `z${i % 2}`, Count: i % 3 });
    store.put('ec2:subnet', B, 'subnet-b', { SubnetId: 'subnet-b', VpcId: 'vpc-0' });
    store.put('ec2:vpc', A, 'vpc-0', { VpcId: 'vpc-0' });
    // An update keeps the record's place in the order.
    store.put('ec2:subnet', A, 'subnet-3', { SubnetId: 'subnet-3', VpcId: 'vpc-0', Zone: 'z1', updated: true });
    const all = store.list<Record<string, unknown>>('ec2:subnet', A);
    for (const [field, value] of [['VpcId', 'vpc-0'], ['VpcId', 'vpc-2'], ['SubnetId', 'subnet-7'], ['Zone', 'z1'], ['VpcId', 'vpc-9']] as const) {
      assert.deepEqual(store.listWhere('ec2:subnet', A, field, value), all.filter((r) => r[field] === value), `${field} = ${value}`);
    }
    // Only string members match a string, as === would.
    assert.deepEqual(store.listWhere('ec2:subnet', A, 'Count', '1'), []);
    assert.deepEqual(store.listWhere('ec2:subnet', B, 'VpcId', 'vpc-0'), [{ SubnetId: 'subnet-b', VpcId: 'vpc-0' }]);
    store.delete('ec2:subnet', A, 'subnet-0');
    assert.ok(!store.listWhere<{ SubnetId: string }>('ec2:subnet', A, 'VpcId', 'vpc-0').some((s) => s.SubnetId === 'subnet-0'));
    assert.throws(() => store.listWhere('ec2:subnet', A, "VpcId') OR 1=1 --", 'x'), /not a member name/);
    store.close();
  });

  it('answers the indexed members from an index, and takes the next seq without scanning', () => {
    const file = join(tmp, 'plan.db');
    openSqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    for (const field of INDEXED_FIELDS) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT body FROM resources WHERE kind = ? AND account = ? AND region = ? AND json_extract(body, '$.${field}') = ? ORDER BY seq`).all('k', 'a', 'r', 'v') as { detail: string }[];
      assert.match(plan.map((p) => p.detail).join('; '), /USING INDEX resources_by_\w+ \(kind=\? AND account=\? AND region=\? AND <expr>=\?\)/, field);
    }
    const seqPlan = db.prepare('EXPLAIN QUERY PLAN SELECT COALESCE(MAX(seq), 0) + 1 FROM resources').all() as { detail: string }[];
    assert.match(seqPlan[0].detail, /USING COVERING INDEX resources_by_seq/);
    db.close();
  });

  it('a database from before the indexes is migrated on open and keeps its records', () => {
    const file = join(tmp, 'v1.db');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    db.exec(MIGRATIONS[0]);
    db.prepare('INSERT INTO schema_version (version) VALUES (1)').run();
    db.prepare('INSERT INTO resources (kind, account, region, id, seq, body) VALUES (?, ?, ?, ?, ?, ?)').run('ec2:subnet', A.account, A.region, 'subnet-1', 1, JSON.stringify({ SubnetId: 'subnet-1', VpcId: 'vpc-1' }));
    db.close();
    const store = openSqliteStore(file);
    assert.deepEqual(store.listWhere('ec2:subnet', A, 'VpcId', 'vpc-1'), [{ SubnetId: 'subnet-1', VpcId: 'vpc-1' }]);
    store.put('ec2:subnet', A, 'subnet-2', { SubnetId: 'subnet-2', VpcId: 'vpc-1' });
    assert.deepEqual(store.list<{ SubnetId: string }>('ec2:subnet', A).map((s) => s.SubnetId), ['subnet-1', 'subnet-2']);
    store.close();
  });
});

describe('store tracking', () => {
  it('recordWrites notes the kinds put and (really) deleted, and nothing for reads', () => {
    const store = openSqliteStore(':memory:');
    const written = new Set<string>();
    const s = recordWrites(store, written);
    s.put('a', A, '1', { x: 1 });
    s.get('b', A, '1');
    s.list('c', A);
    s.listWhere('d', A, 'VpcId', 'v');
    s.listAll('e');
    assert.equal(s.delete('f', A, 'missing'), false);
    assert.deepEqual([...written], ['a']);
    assert.equal(s.delete('a', A, '1'), true);
    s.transaction(() => s.put('g', A, '1', {}));
    assert.deepEqual([...written].sort(), ['a', 'g']);
    store.close();
  });

  it('ReadTracker: a view is affected by writes to the kinds it read since restart, by anything before it completed or when the kinds are unknown', () => {
    const store = openSqliteStore(':memory:');
    const t = new ReadTracker(store);
    assert.equal(t.affects(new Set(['x'])), true, 'nothing built yet');
    t.restart();
    t.store.list('route53:zone', A);
    t.store.listAll('ec2:vpc');
    t.store.get('ec2:network-interface', A, 'eni-1');
    t.store.listWhere('ec2:subnet', A, 'VpcId', 'vpc-1');
    assert.equal(t.affects(new Set(['ec2:security-group-rule'])), true, 'build not complete');
    t.complete();
    assert.equal(t.affects(new Set(['ec2:security-group-rule', 'ec2:security-group'])), false);
    assert.equal(t.affects(new Set()), false);
    for (const k of ['route53:zone', 'ec2:vpc', 'ec2:network-interface', 'ec2:subnet']) assert.equal(t.affects(new Set(['other', k])), true, k);
    assert.equal(t.affects(undefined), true, 'unknown kinds');
    t.restart();
    t.store.list('ec2:vpc', A);
    t.complete();
    assert.equal(t.affects(new Set(['route53:zone'])), false, 'restart forgets earlier reads');
    // Writes through the tracker are passed on.
    t.store.put('k', A, '1', { v: 1 });
    assert.deepEqual(store.get('k', A, '1'), { v: 1 });
    store.close();
  });
});

describe('change events', () => {
  it('carry the kinds a request wrote: a first request that creates the defaults, a write, none for a plain read', async () => {
    const ln = await startTestLocalnet();
    try {
      const seen: { operation: string; kinds?: string[] }[] = [];
      ln.events.on('change', (ctx: { operation: string }, kinds?: ReadonlySet<string>) => seen.push({ operation: ctx.operation, kinds: kinds && [...kinds].sort() }));
      const ec2 = ec2Client(ln, { accessKeyId: '333344445555' });
      await ec2.send(new DescribeVpcsCommand({}));
      assert.equal(seen.length, 1);
      assert.equal(seen[0].operation, 'DescribeVpcs');
      assert.ok(seen[0].kinds!.includes('ec2:vpc') && seen[0].kinds!.includes('ec2:subnet'), JSON.stringify(seen[0]));
      await ec2.send(new DescribeVpcsCommand({}));
      assert.equal(seen.length, 1, 'a read that wrote nothing');
      const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
      await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.9.1.0/24' }));
      assert.deepEqual(seen.at(-1), { operation: 'CreateSubnet', kinds: ['ec2:network-acl', 'ec2:subnet'] });
      const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'g', VpcId: Vpc!.VpcId }));
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
      assert.deepEqual(seen.at(-1), { operation: 'AuthorizeSecurityGroupIngress', kinds: ['ec2:security-group', 'ec2:security-group-rule'] });
      const before = seen.length;
      await assert.rejects(ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.9.1.0/24' })), /conflicts/);
      assert.equal(seen.length, before, 'a failed request committed nothing');
      ec2.destroy();
    } finally {
      await ln.stop();
    }
  });
});
