// One endpoint socket: a TCP server on an endpoint interface's loopback
// address and an NLB listener's port. Each accepted connection is relayed to
// the NLB listener from the interface's own address (localAddress), which is
// how the NLB data plane tells PrivateLink traffic apart. When the network
// rules block clients of the consumer VPC, connections are accepted and
// never answered (AWS drops the SYN), then reset after the hold.
import { RelaySocket, type RelayTarget } from '../lb/relay-socket.ts';
import type { EndpointBinding } from './state.ts';

export interface SocketContext {
  timeScale: number;
  /** The port the NLB listener `port` is bound on (the privileged-port offset applies to it as to us). */
  nlbPort(binding: EndpointBinding, boundPort: number): number;
  log(line: string): void;
}

export class EndpointSocket extends RelaySocket<EndpointBinding> {
  constructor(config: EndpointBinding, private readonly ctx: SocketContext) {
    super(config, ctx.timeScale);
  }

  protected listenAddress(config: EndpointBinding): string {
    return config.address;
  }

  /** The NLB listener, from the interface's own address: that is how the NLB tells PrivateLink traffic apart. */
  protected target(config: EndpointBinding): RelayTarget {
    return { host: config.nlbAddress, port: this.ctx.nlbPort(config, this.boundPort), localAddress: config.address };
  }
}
