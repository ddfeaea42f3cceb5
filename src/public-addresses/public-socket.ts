// One public address socket: a TCP server on a public address (a loopback
// address of LOCALNET_PUBLIC_ADDRESSES) and a port the instance maps. Each
// accepted connection is relayed to the instance's workload, bytes both ways,
// a half-close passed on as a half-close and a reset as a reset. When the
// network rules block the internet, connections are accepted and never
// answered (AWS drops the SYN), then reset after the hold (60 s × time
// scale), so the client sees a timeout as on AWS.
import { RelaySocket, type RelayTarget } from '../lb/relay-socket.ts';
import type { PublicBinding } from './state.ts';

export interface PublicSocketContext {
  timeScale: number;
  log(line: string): void;
}

export class PublicSocket extends RelaySocket<PublicBinding> {
  constructor(config: PublicBinding, ctx: PublicSocketContext) {
    super(config, ctx.timeScale);
  }

  protected listenAddress(config: PublicBinding): string {
    return config.publicIp;
  }

  /** The instance's workload; an invalid tag: nothing listens there, as on an instance whose port is closed. */
  protected target(config: PublicBinding): RelayTarget | undefined {
    return config.workload.kind === 'mapped' ? { host: config.workload.host, port: config.workload.port } : undefined;
  }
}
