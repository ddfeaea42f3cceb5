import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { bindHint } from '../src/bind-hint.ts';

test('a loopback address that cannot be bound gets the command that adds it (macOS: lo0 alias)', async () => {
  // 127.0.0.1 exists everywhere; an address no interface has fails as on a Mac without the alias.
  const sock = dgram.createSocket('udp4');
  const err = await new Promise<Error>((resolve) => {
    sock.once('error', resolve);
    sock.bind(0, '192.0.2.77', () => resolve(new Error('bound')));
  });
  sock.close();
  assert.equal((err as NodeJS.ErrnoException).code, 'EADDRNOTAVAIL');
  const macErr = Object.assign(new Error('bind EADDRNOTAVAIL 127.77.0.1'), { code: 'EADDRNOTAVAIL' });
  assert.equal(bindHint(macErr, '127.77.0.1', 'darwin'), ' (macOS has only 127.0.0.1 on lo0: sudo ifconfig lo0 alias 127.77.0.1 up)');
  assert.match(bindHint(macErr, '127.77.0.1', 'linux'), /sudo ip addr add 127\.77\.0\.1\/32 dev lo/);
  assert.equal(bindHint(Object.assign(new Error('x'), { code: 'EADDRINUSE' }), '127.77.0.1', 'darwin'), '');
  assert.equal(bindHint(err, '192.0.2.77', 'darwin'), '', 'only loopback addresses are localnet\'s to add');
});
