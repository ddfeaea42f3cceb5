// What to do when a loopback address cannot be bound. Every load balancer,
// DNS view, endpoint interface and public address lives on its own
// 127.x.y.z address. Linux routes all of 127.0.0.0/8 to lo, but macOS has
// only 127.0.0.1 on lo0 until an alias is added, and the bind fails with
// EADDRNOTAVAIL: the log line then carries the exact command.
export function bindHint(err: Error, address: string, platform: NodeJS.Platform = process.platform): string {
  if ((err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL' || !address.startsWith('127.')) return '';
  return platform === 'darwin'
    ? ` (macOS has only 127.0.0.1 on lo0: sudo ifconfig lo0 alias ${address} up)`
    : ` (add the address to the loopback interface: sudo ip addr add ${address}/32 dev lo)`;
}
