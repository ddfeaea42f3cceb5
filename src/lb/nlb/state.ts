// What an NLB listener runs, read at reconcile time like the ALB's
// (../state.ts): its protocol, the one target group it forwards to, the TLS
// material and ALPN list of a TLS listener, the group's attributes that change
// the stream (PROXY protocol v2, client IP preservation), the idle timeout,
// and the network verdicts: from the internet per protocol, and from each
// VPC endpoint interface that may connect (PrivateLink traffic).
import type { Scope, Store } from '../../store/store.ts';
import { certificateMaterial, type CertificateMaterial } from '../../records/certificates.ts';
import { interfaceOwner } from '../../records/interfaces.ts';
import { KIND } from '../../records/kinds.ts';
import { everywhere } from '../../records/read.ts';
import { targetGroupsOfActions } from '../../records/actions.ts';
import type { NetworkModel } from '../../net/model/model.ts';
import type { PathVerdict } from '../../net/reachability/load-balancer-verdicts.ts';
import { nlbListenerVerdict, privateLinkVerdict } from '../../net/reachability/network-load-balancer-verdicts.ts';
import type { ListenerRecord, LoadBalancerRecord } from '../records.ts';
import { alpnProtocols } from './alpn.ts';

export type NlbProtocol = 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';

/** AWS's NLB idle timeouts: TCP (and TLS) 350 s unless the listener attribute says otherwise, UDP flows 120 s. */
export const TCP_IDLE_TIMEOUT_S = 350;
export const UDP_IDLE_TIMEOUT_S = 120;

/** An interface endpoint's interface as PrivateLink traffic comes from it. */
export interface EndpointInterface {
  endpointId: string;
  eniId: string;
  privateIp: string;
}

/** An NLB listener socket's key: its load balancer's loopback address and the listener port. */
export function nlbListenerKey(address: string, port: number): string {
  return `${address}:${port}`;
}

export interface ResolvedNlbListener {
  kind: 'nlb';
  /** `${address}:${port}`: one TCP and/or one UDP socket. */
  key: string;
  arn: string;
  lbArn: string;
  scope: Scope;
  protocol: NlbProtocol;
  port: number;
  address: string;
  /** The target group the default forward action names (an NLB listener has exactly one). */
  groupArn?: string;
  defaultCertificate?: CertificateMaterial;
  sniCertificates: CertificateMaterial[];
  sslPolicy?: string;
  /** ALPN protocols offered, in the server's preference order; empty: no ALPN. */
  alpn: string[];
  idleTimeoutMs: number;
  udpIdleTimeoutMs: number;
  /** Whether a client from the internet gets through, per transport. */
  ingress: { tcp: PathVerdict; udp: PathVerdict };
  /** Connections from these loopback addresses are PrivateLink traffic: which endpoint, and whether the NLB's inbound rules admit it. */
  privateLink: Map<string, EndpointInterface & { verdict: PathVerdict }>;
}

export const NLB_PROTOCOLS = new Set(['TCP', 'TLS', 'UDP', 'TCP_UDP']);

/** Interface endpoint interfaces by their loopback address (the address the endpoint forwarder connects from). */
export function endpointInterfaces(store: Store): Map<string, EndpointInterface> {
  const out = new Map<string, EndpointInterface>();
  for (const { value: e } of everywhere(store, KIND.networkInterface)) {
    const owner = interfaceOwner(e);
    if (owner.kind !== 'vpc-endpoint' || !e._address) continue;
    out.set(e._address, { endpointId: owner.endpointId, eniId: e.NetworkInterfaceId, privateIp: e.PrivateIpAddress });
  }
  return out;
}

/** EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic as stored; AWS's default is on. */
export function enforcesOnPrivateLink(lb: LoadBalancerRecord): boolean {
  return (lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? 'on') === 'on';
}

/** `timeScale` (LOCALNET_LB_TIME_SCALE) scales AWS's fixed UDP idle timeout; the TCP one is an attribute and is not scaled. */
export function resolveNlbListener(store: Store, model: NetworkModel, scope: Scope, lb: LoadBalancerRecord, l: ListenerRecord, endpoints: Map<string, EndpointInterface>, timeScale = 1): ResolvedNlbListener {
  const address = lb._address;
  const cert = (arn: string | undefined) => (arn ? certificateMaterial(store, scope, arn) : undefined);
  const protocol = l.Protocol as NlbProtocol;
  const tcp = protocol !== 'UDP' ? nlbListenerVerdict(model, lb.LoadBalancerArn, 'tcp', l.Port) : { allowed: true as const };
  const udp = protocol === 'UDP' || protocol === 'TCP_UDP' ? nlbListenerVerdict(model, lb.LoadBalancerArn, 'udp', l.Port) : { allowed: true as const };
  const privateLink = new Map<string, EndpointInterface & { verdict: PathVerdict }>();
  const enforce = enforcesOnPrivateLink(lb);
  for (const [addr, e] of endpoints) privateLink.set(addr, { ...e, verdict: privateLinkVerdict(model, lb.LoadBalancerArn, enforce, e.privateIp, l.Port) });
  // Only TCP listeners take the attribute (ModifyListenerAttributes); TLS listeners keep AWS's 350 s.
  const idle = Number((protocol === 'TCP' || protocol === 'TCP_UDP' ? l._attributes?.['tcp.idle_timeout.seconds'] : undefined) ?? TCP_IDLE_TIMEOUT_S);
  return {
    kind: 'nlb',
    key: nlbListenerKey(address, l.Port),
    arn: l.ListenerArn,
    lbArn: lb.LoadBalancerArn,
    scope,
    protocol,
    port: l.Port,
    address,
    groupArn: targetGroupsOfActions(l.DefaultActions ?? [])[0],
    defaultCertificate: cert(l.Certificates?.find((c) => c.IsDefault !== false)?.CertificateArn),
    sniCertificates: (l._sniCertificates ?? []).map(cert).filter((c): c is CertificateMaterial => c !== undefined),
    sslPolicy: l.SslPolicy,
    alpn: alpnProtocols(l.AlpnPolicy?.[0]),
    idleTimeoutMs: (Number.isFinite(idle) && idle > 0 ? idle : TCP_IDLE_TIMEOUT_S) * 1000,
    udpIdleTimeoutMs: UDP_IDLE_TIMEOUT_S * 1000 * timeScale,
    ingress: { tcp, udp },
    privateLink,
  };
}
