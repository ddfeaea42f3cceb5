// The load balancer data plane's lifecycle: from the store, the listener
// sockets that must exist (bound, re-configured, closed) and the health
// checkers that must run (one per target of every target group a listener of
// an active load balancer uses). Reconciled at start and after every change,
// so a restart brings everything back from the stored state.
import type { NetworkModel } from '../net/model/model.ts';
import type { Store } from '../store/store.ts';
import { Balancer } from './balancer.ts';
import { HealthChecker } from './health.ts';
import { ListenerSocket, SecureContexts } from './listener.ts';
import { NlbListenerSocket } from './nlb/listener.ts';
import type { ProxyContext } from './proxy.ts';
import type { HealthState, TargetHealthRecord } from './records.ts';
import { KIND } from '../records/kinds.ts';
import { everywhere } from '../records/read.ts';
import { buildState, type DataPlaneState, type ResolvedListener, type ResolvedTarget } from './state.ts';
import { nlbListenerKey, type ResolvedNlbListener } from './nlb/state.ts';
import { poolKey } from './upstream.ts';
import { Serial } from './serial.ts';
import { syncSockets } from './sockets.ts';
import { bindHint } from '../bind-hint.ts';

/** What the listener log lines name (ALB and NLB listeners alike). */
interface ListenerFacts {
  protocol: string;
  port: number;
  lbArn: string;
  address: string;
  arn: string;
}

export interface DataPlaneOptions {
  store: Store;
  /** The shared network model (src/net/model/): network verdicts come from its engine. */
  network(): NetworkModel;
  /** LOCALNET_LB_TIME_SCALE: multiplies health-check intervals/timeouts and the 10 s connect timeout. */
  timeScale: number;
  log(line: string): void;
}

export interface ListenerBinding {
  loadBalancer: string;
  protocol: string;
  port: number;
  address: string;
  boundPort: number;
  /** Set when the network rules keep internet clients out (connections get no answer): why, and the fix. */
  blocked?: string;
}

export class LoadBalancerDataPlane {
  private readonly sockets = new Map<string, ListenerSocket>();
  private readonly nlbSockets = new Map<string, NlbListenerSocket>();
  private readonly checkers = new Map<string, HealthChecker>();
  /** Target key -> state, read on every forwarded request. */
  private readonly health = new Map<string, HealthState>();
  /** Everything a request reads: the state, health, pools and balancing state of this data plane (none of it is shared with another). */
  private readonly ctx: ProxyContext;
  private readonly secureContexts = new SecureContexts();
  private readonly serial = new Serial(() => this.reconcileNow());
  private closed = false;

  constructor(private readonly opts: DataPlaneOptions) {
    this.ctx = {
      state: { listeners: new Map(), nlbListeners: new Map(), groups: new Map(), inUse: new Set() },
      health: (key) => this.health.get(key),
      timeScale: opts.timeScale,
      log: opts.log,
      pools: new Map(),
      balancer: new Balancer(),
    };
  }

  /**
   * Brings sockets and checkers in line with the store. Calls coalesce: at
   * most one runs, and one more follows when changes arrived meanwhile.
   */
  reconcile(): Promise<void> {
    return this.serial.request();
  }

  private async reconcileNow(): Promise<void> {
    if (this.closed) return;
    try {
      await this.apply(buildState(this.opts.store, this.opts.network, this.opts.timeScale));
    } catch (err) {
      this.opts.log(`lb: reconcile failed: ${(err as Error).stack ?? err}`);
    }
  }

  private async apply(state: DataPlaneState): Promise<void> {
    this.ctx.state = state;
    // What belonged to target groups, targets and certificates that are gone goes with them.
    this.ctx.balancer.sync(state.groups);
    this.retirePools(state);
    this.secureContexts.retain([...state.listeners.values(), ...state.nlbListeners.values()]);
    // Listener sockets (a changed protocol re-binds).
    await syncSockets<ResolvedListener, ListenerSocket>(this.sockets, state.listeners, {
      ...this.listenerLogs(),
      create: (l) => new ListenerSocket(l, this.ctx, this.secureContexts),
      keeps: (sock, next) => next.protocol === sock.config.protocol,
      blocked: (l) => (l.ingress.allowed ? undefined : l.ingress.explanation),
    });
    await syncSockets<ResolvedNlbListener, NlbListenerSocket>(this.nlbSockets, state.nlbListeners, {
      ...this.listenerLogs(),
      create: (l) => new NlbListenerSocket(l, this.ctx, this.secureContexts),
      keeps: (sock, next) => next.protocol === sock.config.protocol,
      blocked: ({ ingress: { tcp, udp } }) => (!tcp.allowed ? tcp.explanation : !udp.allowed ? udp.explanation : undefined),
    });
    // Health checkers.
    const wanted = new Map<string, { t: ResolvedTarget; groupArn: string }>();
    for (const g of state.groups.values()) {
      if (!state.inUse.has(g.arn)) continue;
      for (const t of g.targets) {
        if (t.draining) {
          this.transition(t, { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress', _updatedAt: new Date().toISOString() });
          continue;
        }
        if (g.record.HealthCheckEnabled === false) {
          // No checks: ALB routes to the target as if healthy (state "unavailable").
          this.health.set(t.key, 'healthy');
          continue;
        }
        wanted.set(t.key, { t, groupArn: g.arn });
      }
    }
    for (const [key, c] of this.checkers) {
      if (!wanted.has(key)) {
        c.stop();
        this.checkers.delete(key);
      }
    }
    for (const [key, { t, groupArn }] of wanted) {
      const group = state.groups.get(groupArn)!.record;
      const existing = this.checkers.get(key);
      if (existing && existing.registeredAt === t.registeredAt) {
        existing.update(t, group);
        continue;
      }
      existing?.stop();
      const found = this.opts.store.get<TargetHealthRecord>(KIND.targetHealth, t.scope, key);
      // A report older than this registration belongs to an earlier one: start from initial.
      const stored = found && found._updatedAt >= t.registeredAt ? found : undefined;
      const c = new HealthChecker(t, group, { timeScale: this.opts.timeScale, initial: stored, onTransition: (target, rec) => this.transition(target, rec) });
      this.health.set(key, c.current);
      this.checkers.set(key, c);
      c.start();
    }
    for (const key of this.health.keys()) if (!wanted.has(key) && !this.isUncheckedHealthy(state, key)) this.health.delete(key);
  }

  /** The log lines of ALB and NLB listener sockets. */
  private listenerLogs() {
    return {
      noAnswer: (l: ListenerFacts, why: string) => `lb: clients from the internet get no answer on ${l.protocol} ${l.port} of ${l.lbArn}: ${why}`,
      offset: (l: ListenerFacts, bound: number) => `lb: listener ${l.protocol} ${l.port} of ${l.lbArn} binds ${l.address}:${bound} (port ${l.port} is privileged)`,
      cannotBind: (l: ListenerFacts, err: Error) => `lb: cannot bind ${l.address}:${l.port} for ${l.arn}: ${err.message}${bindHint(err, l.address)}`,
      log: this.opts.log,
    };
  }

  /** Keep-alive pools to addresses no target maps to any more are retired. */
  private retirePools(state: DataPlaneState): void {
    const wanted = new Set<string>();
    for (const g of state.groups.values()) for (const t of g.targets) if (t.traffic.kind === 'mapped') wanted.add(poolKey(t.traffic.host, t.traffic.port, g.https));
    for (const [key, pool] of this.ctx.pools) {
      if (wanted.has(key)) continue;
      pool.retire();
      this.ctx.pools.delete(key);
    }
  }

  /** Balancing state, pools and TLS contexts held (tests: two data planes share nothing; what is gone is dropped). */
  holdings(): { balancedGroups: number; pools: number; certificates: number } {
    return { balancedGroups: this.ctx.balancer.size, pools: this.ctx.pools.size, certificates: this.secureContexts.size };
  }

  private isUncheckedHealthy(state: DataPlaneState, key: string): boolean {
    const arn = key.split('|')[0];
    const g = state.groups.get(arn);
    return !!g && g.record.HealthCheckEnabled === false && g.targets.some((t) => t.key === key);
  }

  /** Records a health transition: in memory for routing, in the store for DescribeTargetHealth (only when it changed). */
  private transition(t: ResolvedTarget, rec: TargetHealthRecord): void {
    if (this.closed) return;
    this.health.set(t.key, rec.State);
    const prev = this.opts.store.get<TargetHealthRecord>(KIND.targetHealth, t.scope, t.key);
    if (prev && prev.State === rec.State && prev.Reason === rec.Reason && prev.Description === rec.Description) return;
    try {
      this.opts.store.put(KIND.targetHealth, t.scope, t.key, rec);
    } catch (err) {
      this.opts.log(`lb: cannot record health of ${t.key}: ${(err as Error).message}`);
    }
  }

  /** Health as the data plane sees it (tests and status). */
  healthOf(key: string): HealthState | undefined {
    return this.health.get(key);
  }

  /** Every bound listener with its address, for `localnet status` and tests. */
  bindings(): ListenerBinding[] {
    const names = new Map(everywhere(this.opts.store, KIND.loadBalancer).map(({ value }) => [value.LoadBalancerArn, value.LoadBalancerName ?? value.LoadBalancerArn]));
    const alb = [...this.sockets.values()].map((s) => ({
      loadBalancer: names.get(s.config.lbArn) ?? s.config.lbArn,
      protocol: s.config.protocol,
      port: s.config.port,
      address: s.config.address,
      boundPort: s.boundPort,
      ...(s.config.ingress.allowed ? {} : { blocked: s.config.ingress.explanation }),
    }));
    const nlb = [...this.nlbSockets.values()].map((s) => {
      const { tcp, udp } = s.config.ingress;
      const blocked = !tcp.allowed ? tcp.explanation : !udp.allowed ? udp.explanation : undefined;
      return {
        loadBalancer: names.get(s.config.lbArn) ?? s.config.lbArn,
        protocol: s.config.protocol,
        port: s.config.port,
        address: s.config.address,
        boundPort: s.boundPort,
        ...(blocked ? { blocked } : {}),
      };
    });
    return [...alb, ...nlb];
  }

  /** The port an NLB listener's socket is bound to (privileged ports may be offset); undefined when it is not bound. */
  nlbBoundPort(address: string, port: number): number | undefined {
    return this.nlbSockets.get(nlbListenerKey(address, port))?.boundPort;
  }

  /** Health `ports` entries: 'lb <name> HTTPS 443' -> '127.77.0.1:443'. */
  ports(): Record<string, string> {
    return Object.fromEntries(this.bindings().map((b) => [`lb ${b.loadBalancer} ${b.protocol} ${b.port}`, `${b.address}:${b.boundPort}`]));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.serial.idle();
    for (const c of this.checkers.values()) c.stop();
    this.checkers.clear();
    await Promise.all([...this.sockets.values(), ...this.nlbSockets.values()].map((s) => s.close()));
    this.sockets.clear();
    this.nlbSockets.clear();
    for (const p of this.ctx.pools.values()) p.destroy();
    this.ctx.pools.clear();
  }
}
