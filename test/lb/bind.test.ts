// The privileged-port rule every data plane socket follows: the port itself,
// or port + 10000 when a port below 1024 is refused (localnet not root);
// any other error, or a refusal above 1023, is the caller's to see.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindWithOffset, PRIVILEGED_PORT_OFFSET } from '../../src/lb/bind.ts';

const refuse = (code: string, below: number) => async (port: number) => {
  if (port < below) throw Object.assign(new Error(code), { code });
};

describe('bindWithOffset', () => {
  it('binds the port when it may', async () => {
    assert.equal(await bindWithOffset(443, refuse('EACCES', 0)), 443);
  });
  it('moves a refused privileged port up by the offset', async () => {
    assert.equal(await bindWithOffset(80, refuse('EACCES', 1024)), 80 + PRIVILEGED_PORT_OFFSET);
  });
  it('passes on other errors and refusals of unprivileged ports', async () => {
    await assert.rejects(bindWithOffset(80, refuse('EADDRINUSE', 1024)), /EADDRINUSE/);
    await assert.rejects(bindWithOffset(8080, refuse('EACCES', 9000)), /EACCES/);
  });
});
