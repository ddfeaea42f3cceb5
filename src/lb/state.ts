// Reads the store into what the data plane runs: per load balancer its
// listeners (compiled rules, certificates, attributes), the target groups
// they use with each target resolved to a local workload address and the
// network verdicts that decide whether packets get through (asked of the
// network model's engine, the same walk `localnet why` prints). Built again
// on every change; everything the hot path needs is precomputed here.
import type { Scope, Store } from '../store/store.ts';
import { certificateMaterial, type CertificateMaterial } from '../records/certificates.ts';
import { KIND } from '../records/kinds.ts';
import { everywhere, inScope } from '../records/read.ts';
import { workloadAddress, type WorkloadTarget } from '../records/workloads.ts';
import type { ModelEni, NetworkModel } from '../net/model/model.ts';
import type { RInstance } from '../net/model/types.ts';
import { listenerVerdict, targetVerdict, type PathVerdict } from '../net/reachability/load-balancer-verdicts.ts';
import { nlbTargetVerdict } from '../net/reachability/network-load-balancer-verdicts.ts';
import { INTERNET } from '../net/reachability/walk.ts';
import { endpointInterfaces, NLB_PROTOCOLS, resolveNlbListener, type ResolvedNlbListener } from './nlb/state.ts';
import { compileRules, type CompiledRule } from './rules.ts';
import { targetKey, type ActionRecord, type LoadBalancerRecord, type RuleRecord, type TargetGroupRecord, type TargetRecord } from './records.ts';
import type { RedirectConfig } from './responses.ts';

export type Action =
  | { type: 'forward'; groups: { arn: string; weight: number }[]; totalWeight: number; groupStickinessMs: number }
  | { type: 'redirect'; config: RedirectConfig }
  | { type: 'fixed-response'; status: number; contentType: string; body: string }
  /** A rule without a terminal action we can run (authenticate-* only): ALB would need an IdP. */
  | { type: 'unsupported'; what: string };

export interface ResolvedTarget {
  key: string;
  scope: Scope;
  tgArn: string;
  id: string;
  port: number;
  draining: boolean;
  /** When this registration happened: a new registration starts health checking afresh. */
  registeredAt: string;
  /** Where traffic to the target's port goes on this machine. */
  traffic: WorkloadTarget;
  /** The port and address health checks use. */
  healthPort: number;
  health: WorkloadTarget;
  /** Why packets from the load balancer do not arrive (traffic port / health port); allowed when they do. */
  trafficPath: PathVerdict;
  healthPath: PathVerdict;
  /** NLB targets: the path from the node's own address, which PrivateLink traffic takes whatever the group's client IP preservation says. */
  privateLinkPath?: PathVerdict;
  /** TCP_UDP targets: the path of the UDP half (trafficPath is the TCP half's). */
  udpPath?: PathVerdict;
  /** The target's AWS private address (health check Host header), when known. */
  privateIp?: string;
  /** How to say what the workload mapping is ("instance i-... port 80"). */
  label: string;
}

export interface ResolvedGroup {
  arn: string;
  scope: Scope;
  record: TargetGroupRecord;
  /** Registered targets, draining ones included (they get no new requests). */
  targets: ResolvedTarget[];
  /** AWSALB target stickiness duration, 0 when off. */
  stickinessMs: number;
  https: boolean;
  /** load_balancing.algorithm.type: how a target is chosen (after stickiness). */
  algorithm: 'round_robin' | 'least_outstanding_requests' | 'weighted_random';
}

export interface ResolvedListener {
  /** `${address}:${port}`: the socket. */
  key: string;
  arn: string;
  lbArn: string;
  scope: Scope;
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  address: string;
  defaultCertificate?: CertificateMaterial;
  sniCertificates: CertificateMaterial[];
  sslPolicy?: string;
  rules: CompiledRule<Action>[];
  idleTimeoutMs: number;
  xffMode: 'append' | 'preserve' | 'remove';
  dropInvalidHeaders: boolean;
  /** Whether a client from the internet gets through (a): when not, connections get no answer. */
  ingress: PathVerdict;
}

export interface DataPlaneState {
  listeners: Map<string, ResolvedListener>;
  /** NLB listeners (TCP, TLS, UDP, TCP_UDP), by `${address}:${port}`. */
  nlbListeners: Map<string, ResolvedNlbListener>;
  groups: Map<string, ResolvedGroup>;
  /** Target groups some listener of an active load balancer uses: these get health checks. */
  inUse: Set<string>;
}

function actionOf(actions: ActionRecord[] | undefined): Action {
  const sorted = [...(actions ?? [])].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  const terminal = sorted[sorted.length - 1];
  if (!terminal) return { type: 'unsupported', what: 'no action' };
  switch (terminal.Type) {
    case 'forward': {
      const list = terminal.ForwardConfig?.TargetGroups?.length
        ? terminal.ForwardConfig.TargetGroups.map((g) => ({ arn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 }))
        : [{ arn: terminal.TargetGroupArn ?? '', weight: 1 }];
      const stick = terminal.ForwardConfig?.TargetGroupStickinessConfig;
      return {
        type: 'forward',
        groups: list,
        totalWeight: list.reduce((s, g) => s + g.weight, 0),
        groupStickinessMs: stick?.Enabled ? (stick.DurationSeconds ?? 3600) * 1000 : 0,
      };
    }
    case 'redirect':
      return { type: 'redirect', config: terminal.RedirectConfig ?? {} };
    case 'fixed-response': {
      const f: Partial<NonNullable<ActionRecord['FixedResponseConfig']>> = terminal.FixedResponseConfig ?? {};
      return { type: 'fixed-response', status: Number(f.StatusCode ?? 200), contentType: f.ContentType ?? 'text/plain; charset=utf-8', body: f.MessageBody ?? '' };
    }
    default:
      return { type: 'unsupported', what: terminal.Type ?? 'unknown' };
  }
}

function isActive(lb: LoadBalancerRecord): boolean {
  const code = lb.State?.Code ?? 'active';
  const type = lb.Type ?? 'application';
  return (code === 'active' || code === 'provisioning' || code === 'active_impaired') && (type === 'application' || type === 'network') && !!lb._address;
}

const NOT_BLOCKED: PathVerdict = { allowed: true };

/** `network` is called only when some load balancer is active (the model is built on demand); `timeScale` scales AWS's fixed NLB UDP idle timeout. */
export function buildState(store: Store, network: () => NetworkModel, timeScale = 1): DataPlaneState {
  const listeners = new Map<string, ResolvedListener>();
  const nlbListeners = new Map<string, ResolvedNlbListener>();
  /** NLB target groups: the NLB's semantics for target paths (protocol, client IP preservation). */
  const nlbGroups = new Set<string>();
  let endpoints: ReturnType<typeof endpointInterfaces> | undefined;
  const groups = new Map<string, ResolvedGroup>();
  const inUse = new Set<string>();
  const scopes = new Map<string, Scope>();
  for (const { scope } of everywhere(store, KIND.loadBalancer)) scopes.set(`${scope.account}/${scope.region}`, scope);

  for (const scope of scopes.values()) {
    const lbs = inScope(store, KIND.loadBalancer, scope).filter(isActive);
    if (lbs.length === 0) continue;
    const model = network();
    const allListeners = inScope(store, KIND.listener, scope);
    const allRules = inScope(store, KIND.rule, scope);
    const tgRecords = new Map(inScope(store, KIND.targetGroup, scope).map((t) => [t.TargetGroupArn, t]));
    const allTargets = inScope(store, KIND.target, scope);
    /** Load balancers using each target group: network checks run from each of them. */
    const usersOf = new Map<string, string[]>();

    for (const lb of lbs) {
      const view = lb.LoadBalancerArn;
      const attrs = lb._attributes ?? {};
      if (lb.Type === 'network') {
        for (const l of allListeners.filter((x) => x.LoadBalancerArn === lb.LoadBalancerArn && NLB_PROTOCOLS.has(x.Protocol))) {
          endpoints ??= endpointInterfaces(store);
          const r = resolveNlbListener(store, model, scope, lb, l, endpoints, timeScale);
          nlbListeners.set(r.key, r);
          if (!r.groupArn) continue;
          inUse.add(r.groupArn);
          nlbGroups.add(r.groupArn);
          const users = usersOf.get(r.groupArn) ?? [];
          if (!users.includes(view)) users.push(view);
          usersOf.set(r.groupArn, users);
        }
        continue;
      }
      for (const l of allListeners.filter((x) => x.LoadBalancerArn === lb.LoadBalancerArn)) {
        const ruleRecords: RuleRecord[] = allRules.filter((r) => r._listenerArn === l.ListenerArn && !r.IsDefault);
        ruleRecords.push({ RuleArn: `${l.ListenerArn}/default`, IsDefault: true, Priority: 'default', Conditions: [], Actions: l.DefaultActions, _listenerArn: l.ListenerArn, _tags: [] });
        const rules = compileRules(ruleRecords, (r) => actionOf(r.Actions));
        for (const r of rules) {
          if (r.action.type !== 'forward') continue;
          for (const g of r.action.groups) {
            inUse.add(g.arn);
            const users = usersOf.get(g.arn) ?? [];
            if (!users.includes(view)) users.push(view);
            usersOf.set(g.arn, users);
          }
        }
        const cert = (arn: string | undefined) => (arn ? certificateMaterial(store, scope, arn) : undefined);
        const defaultArn = l.Certificates?.find((c) => c.IsDefault !== false)?.CertificateArn;
        const address = lb._address!;
        const xff = attrs['routing.http.xff_header_processing.mode'];
        listeners.set(`${address}:${l.Port}`, {
          key: `${address}:${l.Port}`,
          arn: l.ListenerArn,
          lbArn: lb.LoadBalancerArn,
          scope,
          protocol: l.Protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
          port: l.Port,
          address,
          defaultCertificate: cert(defaultArn),
          sniCertificates: (l._sniCertificates ?? []).map(cert).filter((c): c is CertificateMaterial => c !== undefined),
          sslPolicy: l.SslPolicy,
          rules,
          idleTimeoutMs: Number(attrs['idle_timeout.timeout_seconds'] ?? 60) * 1000,
          xffMode: xff === 'preserve' || xff === 'remove' ? xff : 'append',
          dropInvalidHeaders: attrs['routing.http.drop_invalid_header_fields.enabled'] === 'true',
          ingress: listenerVerdict(model, lb.LoadBalancerArn, l.Port),
        });
      }
    }

    for (const [arn, users] of usersOf) {
      const tg = tgRecords.get(arn);
      if (!tg) continue;
      const attrs = tg._attributes ?? {};
      const nlb = nlbGroups.has(arn) ? { internetFacing: new Set(lbs.filter((x) => x.Scheme !== 'internal').map((x) => x.LoadBalancerArn)) } : undefined;
      const targets = allTargets.filter((t) => t.TargetGroupArn === arn).map((t) => resolveTarget(model, scope, tg, t, users, nlb));
      const algorithm = attrs['load_balancing.algorithm.type'];
      groups.set(arn, {
        arn,
        scope,
        record: tg,
        targets,
        stickinessMs: attrs['stickiness.enabled'] === 'true' && (attrs['stickiness.type'] ?? 'lb_cookie') === 'lb_cookie' ? Number(attrs['stickiness.lb_cookie.duration_seconds'] ?? 86400) * 1000 : 0,
        https: tg.Protocol === 'HTTPS',
        algorithm: algorithm === 'least_outstanding_requests' || algorithm === 'weighted_random' ? algorithm : 'round_robin',
      });
    }
  }
  return { listeners, nlbListeners, groups, inUse };
}

function resolveTarget(model: NetworkModel, scope: Scope, tg: TargetGroupRecord, t: TargetRecord, users: string[], nlb?: { internetFacing: Set<string> }): ResolvedTarget {
  const port = t.Port ?? tg.Port ?? 80;
  const healthPort = !tg.HealthCheckPort || tg.HealthCheckPort === 'traffic-port' ? port : Number(tg.HealthCheckPort);
  let eni: ModelEni | undefined;
  let instance: RInstance | undefined;
  let label: string;
  if (t.Id.startsWith('i-')) {
    instance = model.instances.get(t.Id);
    eni = instance ? model.enis.get(instance.eniIds[0] ?? '') : undefined;
    label = `instance ${t.Id}`;
  } else {
    eni = (model.enisByIp.get(t.Id) ?? []).find((e) => e.account === scope.account && e.region === scope.region && (!tg.VpcId || e.vpcId === tg.VpcId));
    const owner = eni?.instanceId;
    instance = owner ? model.instances.get(owner) : undefined;
    label = owner ? `IP ${t.Id} (${eni!.id} of instance ${owner})` : `IP ${t.Id}`;
  }
  const map = (p: number): WorkloadTarget => {
    if (!instance) return { kind: 'invalid', reason: t.Id.startsWith('i-') ? `instance ${t.Id} does not exist` : `no network interface of an instance holds ${t.Id}` };
    if (instance.state && instance.state !== 'running') return { kind: 'invalid', reason: `instance ${instance.id} is ${instance.state}` };
    return workloadAddress({ Tags: instance.tags }, p);
  };
  const privateIp = t.Id.startsWith('i-') ? eni?.privateIps[0] : t.Id;
  const pathFor = (p: number): PathVerdict => {
    if (!eni) return NOT_BLOCKED;
    for (const lb of users) {
      const v = targetVerdict(model, lb, eni.id, p);
      if (!v.allowed) return v;
    }
    return NOT_BLOCKED;
  };
  let trafficPath = pathFor(port);
  let healthPath = healthPort === port ? trafficPath : pathFor(healthPort);
  let privateLinkPath: PathVerdict | undefined;
  let udpPath: PathVerdict | undefined;
  if (nlb && eni) {
    // NLB: the group's protocol; with client IP preservation the target judges the client (an internet client
    // stands as 0.0.0.0; behind an internal NLB the node's address stands for a client in the VPC). Health
    // checks and PrivateLink traffic always come from the node.
    const proto = tg.Protocol === 'UDP' ? 'udp' : 'tcp';
    const preserve = tg._attributes?.['preserve_client_ip.enabled'] === 'true';
    const nlbPath = (p: number, protocol: 'tcp' | 'udp', client: (lb: string) => string | undefined): PathVerdict => {
      for (const lb of users) {
        const v = nlbTargetVerdict(model, lb, eni!.id, protocol, p, client(lb));
        if (!v.allowed) return v;
      }
      return NOT_BLOCKED;
    };
    privateLinkPath = nlbPath(port, proto, () => undefined);
    const client = (lb: string) => (preserve && nlb.internetFacing.has(lb) ? INTERNET : undefined);
    trafficPath = preserve ? nlbPath(port, proto, client) : privateLinkPath;
    if (tg.Protocol === 'TCP_UDP') udpPath = nlbPath(port, 'udp', client);
    healthPath = nlbPath(healthPort, 'tcp', () => undefined);
  }
  return {
    key: targetKey(tg.TargetGroupArn, t.Id, port),
    scope,
    tgArn: tg.TargetGroupArn,
    id: t.Id,
    port,
    draining: !!t._deregisteredAt,
    registeredAt: t._registeredAt ?? '',
    traffic: map(port),
    healthPort,
    health: healthPort === port ? map(port) : map(healthPort),
    trafficPath,
    healthPath,
    ...(privateLinkPath ? { privateLinkPath } : {}),
    ...(udpPath ? { udpPath } : {}),
    privateIp,
    label,
  };
}
