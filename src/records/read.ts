// Typed reads of the records every data plane shares: the store kind names
// the record type, so a reader never spells a kind as a string or casts.
import type { Scope, Store } from '../store/store.ts';
import type { CertificateRecord } from './acm.ts';
import type { ElasticIp, Instance, InternetGateway, NatGateway, NetworkAcl, NetworkInterface, RouteTable, SecurityGroup, SecurityGroupRule, Subnet, Vpc, VpcEndpoint, VpcEndpointServiceConfiguration, VpcPeeringConnection } from './ec2.ts';
import type { Listener, LoadBalancer, Rule, Target, TargetGroup, TargetHealthRecord } from './elbv2.ts';
import { KIND } from './kinds.ts';
import type { Domain, HostedZone } from './route53.ts';

/** The record type stored under each kind. */
export interface RecordTypes {
  [KIND.vpc]: Vpc;
  [KIND.subnet]: Subnet;
  [KIND.routeTable]: RouteTable;
  [KIND.internetGateway]: InternetGateway;
  [KIND.natGateway]: NatGateway;
  [KIND.elasticIp]: ElasticIp;
  [KIND.securityGroup]: SecurityGroup;
  [KIND.securityGroupRule]: SecurityGroupRule;
  [KIND.networkAcl]: NetworkAcl;
  [KIND.peering]: VpcPeeringConnection;
  [KIND.networkInterface]: NetworkInterface;
  [KIND.instance]: Instance;
  [KIND.vpcEndpointService]: VpcEndpointServiceConfiguration;
  [KIND.vpcEndpoint]: VpcEndpoint;
  [KIND.loadBalancer]: LoadBalancer;
  [KIND.targetGroup]: TargetGroup;
  [KIND.target]: Target;
  [KIND.listener]: Listener;
  [KIND.rule]: Rule;
  [KIND.targetHealth]: TargetHealthRecord;
  [KIND.hostedZone]: HostedZone;
  [KIND.domain]: Domain;
  [KIND.certificate]: CertificateRecord;
}

export type RecordKind = keyof RecordTypes;

export interface Scoped<T> {
  scope: Scope;
  value: T;
}

/** Every record of a kind in every account and region, oldest first. */
export function everywhere<K extends RecordKind>(store: Store, kind: K): Scoped<RecordTypes[K]>[] {
  return store.listAll<RecordTypes[K]>(kind);
}

/** Every record of a kind in one account and region, oldest first. */
export function inScope<K extends RecordKind>(store: Store, kind: K, scope: Scope): RecordTypes[K][] {
  return store.list<RecordTypes[K]>(kind, scope);
}

export function one<K extends RecordKind>(store: Store, kind: K, scope: Scope, id: string): RecordTypes[K] | undefined {
  return store.get<RecordTypes[K]>(kind, scope, id);
}
