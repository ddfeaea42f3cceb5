// Binding a data plane socket on a loopback address, the way every listener
// does it (load balancers, PrivateLink endpoint interfaces): the port itself,
// or port + PRIVILEGED_PORT_OFFSET when a port below 1024 is refused because
// localnet is not root (80 → 10080, 443 → 10443; `localnet status` shows it).
import type dgram from 'node:dgram';
import type net from 'node:net';

export const PRIVILEGED_PORT_OFFSET = 10_000;

/** Runs `bind(port)`, or `bind(port + offset)` when a privileged port is refused; resolves to the port bound. */
export async function bindWithOffset(port: number, bind: (port: number) => Promise<void>): Promise<number> {
  try {
    await bind(port);
    return port;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES' || port >= 1024) throw err;
    await bind(port + PRIVILEGED_PORT_OFFSET);
    return port + PRIVILEGED_PORT_OFFSET;
  }
}

/** A TCP server listening on exactly address:port (exclusive), or the bind error. */
export function listenTcp(server: net.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** A UDP socket bound to exactly address:port (exclusive), or the bind error. */
export function bindUdp(socket: dgram.Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
