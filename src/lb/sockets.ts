// Keeping a data plane's sockets in line with what its state wants, the way
// every data plane does it (load balancer listeners, endpoint interfaces,
// public addresses): a socket no longer wanted (or that must re-bind) is
// closed, a wanted one that exists takes its new configuration in place, a
// new one is bound (a bind that fails is logged, and tried again at the next
// reconcile). A socket whose clients start getting no answer says so once.

export interface DataPlaneSocket<C> {
  config: C;
  boundPort: number;
  update(config: C): void;
  listen(): Promise<void>;
  close(): Promise<void>;
}

export interface SocketRules<C, S extends DataPlaneSocket<C>> {
  create(config: C): S;
  /** Whether the socket can take `next` in place; otherwise it is closed and bound anew (default: yes). */
  keeps?(socket: S, next: C): boolean;
  /** Why clients get no answer under `config`, or undefined when they do. */
  blocked(config: C): string | undefined;
  /** The log lines: clients newly unanswered, a privileged port moved up, a failed bind. */
  noAnswer(config: C, why: string): string;
  offset(config: C, boundPort: number): string;
  cannotBind(config: C, err: Error): string;
  log(line: string): void;
}

export async function syncSockets<C extends { port: number }, S extends DataPlaneSocket<C>>(sockets: Map<string, S>, wanted: Map<string, C>, rules: SocketRules<C, S>): Promise<void> {
  for (const [key, sock] of sockets) {
    const next = wanted.get(key);
    if (next && (rules.keeps?.(sock, next) ?? true)) continue;
    sockets.delete(key);
    await sock.close();
  }
  for (const [key, c] of wanted) {
    const existing = sockets.get(key);
    const why = rules.blocked(c);
    if (why !== undefined && (!existing || rules.blocked(existing.config) === undefined)) rules.log(rules.noAnswer(c, why));
    if (existing) {
      existing.update(c);
      continue;
    }
    const sock = rules.create(c);
    try {
      await sock.listen();
      sockets.set(key, sock);
      if (sock.boundPort !== c.port) rules.log(rules.offset(c, sock.boundPort));
    } catch (err) {
      rules.log(rules.cannotBind(c, err as Error));
    }
  }
}
