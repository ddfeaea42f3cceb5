// `--help` on every command prints that command's usage and exits 0, without
// starting anything or asking a running localnet; `localnet help CMD` too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localnetCli } from '../helpers/localnet-process.ts';

// Nothing listens here: a command that tried to reach localnet would fail.
const env = { ...process.env, LOCALNET_ENDPOINT: 'http://127.0.0.1:9', LOCALNET_DATA_DIR: '/nonexistent/localnet-help' };

describe('localnet CMD --help', () => {
  for (const [args, shows] of [
    [['why', '--help'], /localnet why SOURCE DESTINATION\[:PORT\][\s\S]*SOURCE \/ DESTINATION: i-…/],
    [['why', 'i-0123456789abcdef0', '-h'], /localnet why --dns NAME/],
    [['dig', '--help'], /localnet dig \[--vpc vpc-\.\.\.\] NAME \[TYPE\]/],
    [['start', '--help'], /localnet start\s+run localnet/],
    [['reset', '--help'], /localnet reset \[--yes\]/],
    [['instance', '--help'], /localnet instance map i-\.\.\.[\s\S]*localnet instance ports/],
    [['acm', '--help'], /localnet acm approve ARN[\s\S]*localnet acm why/],
    [['help', 'status'], /localnet status\s+endpoint/],
  ] as const) {
    it(`localnet ${args.join(' ')}`, async () => {
      const r = await localnetCli([...args], env, 20_000);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Usage:/);
      assert.match(r.stdout, shows);
      assert.equal(r.stderr, '');
    });
  }

  it('help for a command localnet does not have is a usage error', async () => {
    const r = await localnetCli(['help', 'nope'], env, 20_000);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'nope'/);
  });
});
