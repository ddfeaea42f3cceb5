// The bundle's staleness check (scripts/build.mjs), as a user meets it:
// `npm start` and `npx localnet` run dist/localnet.mjs and rebuild it only
// when a source is newer; bin/localnet.js runs the CLI from it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ensureBundle, INPUTS, isStale, OUTFILE, staleBecause } from '../../scripts/build.mjs';
import { ec2At, startLocalnetProcess } from '../helpers/localnet-process.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('bundle staleness (scripts/build.mjs)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'localnet-build-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  /** Sets a path's modification time to `seconds` after an arbitrary epoch. */
  const at = (path: string, seconds: number) => utimesSync(path, 1_700_000_000 + seconds, 1_700_000_000 + seconds);

  /** outfile, a file input and a folder input (with a nested file), all at time 0. */
  function fixture(name: string) {
    const dir = join(tmp, name);
    const src = join(dir, 'src');
    mkdirSync(join(src, 'deep'), { recursive: true });
    const outfile = join(dir, 'out.mjs');
    const pkg = join(dir, 'package.json');
    const nested = join(src, 'deep', 'a.ts');
    for (const f of [outfile, pkg, nested]) writeFileSync(f, '');
    for (const p of [nested, join(src, 'deep'), src, pkg]) at(p, 0);
    at(outfile, 10);
    return { dir, src, outfile, pkg, nested, inputs: [src, pkg] };
  }

  it('is stale when the bundle does not exist', () => {
    const f = fixture('missing');
    rmSync(f.outfile);
    assert.equal(isStale(f.outfile, f.inputs), true);
    assert.equal(staleBecause(f.outfile, f.inputs), f.outfile);
  });

  it('is current when every input is older than the bundle', () => {
    const f = fixture('current');
    assert.equal(isStale(f.outfile, f.inputs), false);
    assert.equal(staleBecause(f.outfile, f.inputs), undefined);
  });

  it('is stale when a file deep under an input folder was edited after the build, and names it', () => {
    const f = fixture('edited');
    at(f.nested, 20);
    assert.equal(isStale(f.outfile, f.inputs), true);
    assert.equal(staleBecause(f.outfile, f.inputs), f.nested);
  });

  it('is stale when an input file (package.json) changed', () => {
    const f = fixture('package');
    at(f.pkg, 20);
    assert.equal(staleBecause(f.outfile, f.inputs), f.pkg);
  });

  it('is stale when a file was added to or removed from an input folder (the folder changed)', () => {
    const f = fixture('removed');
    rmSync(f.nested);
    at(join(f.src, 'deep'), 20);
    assert.equal(staleBecause(f.outfile, f.inputs), join(f.src, 'deep'));
  });

  it('ignores inputs that do not exist', () => {
    const f = fixture('absent');
    assert.equal(isStale(f.outfile, [...f.inputs, join(f.dir, 'no-such-file')]), false);
  });

  it('the build inputs are the sources, package.json and the build script; the bundle is dist/localnet.mjs', () => {
    assert.deepEqual(INPUTS, ['src', 'package.json', 'scripts/build.mjs'].map((p) => join(REPO, p)));
    assert.equal(OUTFILE, join(REPO, 'dist', 'localnet.mjs'));
  });

  it('ensureBundle rebuilds a stale bundle (entry, command chunks beside it), which is then current; old chunks go once they are a minute old', async () => {
    const f = fixture('rebuild');
    at(f.nested, 20);
    const oldChunk = join(f.dir, 'out-start-OLDOLDOL.mjs');
    const recentChunk = join(f.dir, 'out-start-RECENTXX.mjs');
    writeFileSync(oldChunk, '');
    at(oldChunk, 0);
    writeFileSync(recentChunk, '');
    const written = await ensureBundle(f.outfile, f.inputs);
    assert.equal(written, f.outfile);
    assert.equal(isStale(f.outfile, f.inputs), false);
    assert.match(readFileSync(f.outfile, 'utf8'), /AWS networking on one machine/);
    assert.match(readFileSync(`${f.outfile}.map`, 'utf8'), /"mappings"/);
    const files = readdirSync(f.dir);
    assert.ok(files.some((n) => /^out-start-\w+\.mjs$/.test(n) && n !== 'out-start-RECENTXX.mjs'), files.join(' '));
    assert.ok(!files.includes('out-start-OLDOLDOL.mjs'));
    assert.ok(files.includes('out-start-RECENTXX.mjs'));
  });
});

describe('bin/localnet.js (what npx localnet and npm start run)', () => {
  it('help prints the usage', async () => {
    const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) => {
      execFile(process.execPath, ['bin/localnet.js', 'help'], { cwd: REPO, timeout: 60_000 }, (err, stdout) => resolve({ stdout, code: err ? Number(err.code ?? 1) : 0 }));
    });
    assert.equal(code, 0);
    assert.match(stdout, /^localnet \S+: AWS networking on one machine/);
    assert.match(stdout, /Usage:\n\s+localnet start\s/);
  });

  it('start runs localnet from the bundle: it answers the API, and status (also from the bundle) finds it', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'localnet-bin-'));
    const ln = await startLocalnetProcess(join(tmp, 'data'), {}, 30_000, ['bin/localnet.js']);
    try {
      const ec2 = ec2At(ln.endpoint);
      const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
      assert.equal(Vpcs?.length, 1);
      ec2.destroy();
      const status = await new Promise<{ stdout: string; code: number }>((resolve) => {
        execFile(process.execPath, ['bin/localnet.js', 'status'], { cwd: REPO, timeout: 30_000, env: { ...process.env, LOCALNET_ENDPOINT: ln.endpoint } }, (err, stdout) => resolve({ stdout, code: err ? Number(err.code ?? 1) : 0 }));
      });
      assert.equal(status.code, 0, status.stdout);
      assert.match(status.stdout, new RegExp(`endpoint\\s+${ln.endpoint}`));
    } finally {
      assert.equal(await ln.stop(), 0);
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
