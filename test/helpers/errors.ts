// The one assertion every API test uses: the call fails with this AWS error
// code (the SDK's err.name), optionally this message and HTTP status.
import assert from 'node:assert/strict';

export async function rejects(p: Promise<unknown>, code: string, message?: RegExp | string, status?: number): Promise<any> {
  let caught: any;
  await assert.rejects(p, (err: any) => {
    assert.equal(err.name, code, `expected ${code}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    if (status) assert.equal(err.$metadata?.httpStatusCode, status);
    caught = err;
    return true;
  });
  return caught;
}
