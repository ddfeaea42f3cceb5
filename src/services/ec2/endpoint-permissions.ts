// PrivateLink, who may connect and who did: the allowed principals of an
// endpoint service (ModifyVpcEndpointServicePermissions,
// DescribeVpcEndpointServicePermissions) and the endpoints that point at it
// seen from the provider's side (DescribeVpcEndpointConnections,
// AcceptVpcEndpointConnections, RejectVpcEndpointConnections). A connection
// is the consumer's endpoint record: accepting or rejecting writes the
// endpoint in the consumer's account and region.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import type { VpcEndpoint } from '../../records/ec2.ts';
import { KIND } from '../../records/kinds.ts';
import type { Scope } from '../../store/store.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { newConnectionId, newPermissionId } from './endpoint-names.ts';
import { isIdOf, K, malformed, notFound, save } from './resources.ts';
import { endpointsOfService, mustService, type VpcEndpointServiceConfiguration } from './vpc-endpoint-services.ts';

/**
 * What kind of principal an ARN names (AllowedPrincipal.PrincipalType), or
 * undefined when it names none: `*`, an account root, a role or user, an
 * organization (unit), or a service principal.
 */
function principalType(principal: string): string | undefined {
  if (principal === '*') return 'All';
  if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(principal)) return 'Account';
  if (/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(principal)) return 'Role';
  if (/^arn:aws[a-z-]*:iam::\d{12}:user\/.+$/.test(principal)) return 'User';
  if (/^arn:aws[a-z-]*:organizations::\d{12}:(organization|ou)\/.+$/.test(principal)) return 'OrganizationUnit';
  if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(principal)) return 'Service';
  return undefined;
}

export function modifyVpcEndpointServicePermissions(input: { ServiceId: string; AddAllowedPrincipals?: string[]; RemoveAllowedPrincipals?: string[] }, env: HandlerEnv) {
  const svc = mustService(env, input.ServiceId);
  for (const p of [...(input.AddAllowedPrincipals ?? []), ...(input.RemoveAllowedPrincipals ?? [])]) {
    // Code from the EC2 error list; the wording is localnet's [unverified].
    if (!principalType(p)) throw new AwsError('InvalidPrincipal', `Invalid principal: '${p}'. Use an ARN such as arn:aws:iam::123456789012:root, or '*'.`, 400);
  }
  const removed = new Set(input.RemoveAllowedPrincipals ?? []);
  svc._allowedPrincipals = svc._allowedPrincipals.filter((p) => !removed.has(p.Principal));
  const added: VpcEndpointServiceConfiguration['_allowedPrincipals'] = [];
  for (const principal of new Set(input.AddAllowedPrincipals ?? [])) {
    const existing = svc._allowedPrincipals.find((p) => p.Principal === principal);
    if (existing) {
      added.push(existing);
      continue;
    }
    const entry = { Principal: principal, PrincipalType: principalType(principal)!, ServicePermissionId: newPermissionId() };
    svc._allowedPrincipals.push(entry);
    added.push(entry);
  }
  save(env, K.vpcEndpointService, svc);
  return { AddedPrincipals: added.map((p) => ({ ...p, ServiceId: svc.ServiceId })), ReturnValue: true };
}

export function describeVpcEndpointServicePermissions(input: { ServiceId: string; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const svc = mustService(env, input.ServiceId);
  const rows = svc._allowedPrincipals.map((p) => ({ ...p, ServiceId: svc.ServiceId }));
  const filtered = applyFilters(rows, input.Filters, { principal: (p) => p.Principal, 'principal-type': (p) => p.PrincipalType });
  const { page, NextToken } = paginate(filtered, input, { min: 5, max: 1000 });
  return { AllowedPrincipals: page, NextToken };
}

/** An endpoint as its service's provider sees it. */
function connectionOf(svc: VpcEndpointServiceConfiguration, e: VpcEndpoint) {
  return {
    ServiceId: svc.ServiceId,
    VpcEndpointId: e.VpcEndpointId,
    VpcEndpointOwner: e.OwnerId,
    VpcEndpointState: e.State,
    CreationTimestamp: e.CreationTimestamp,
    DnsEntries: e.DnsEntries.filter((d) => d.DnsName.includes('.vpce.amazonaws.com')),
    NetworkLoadBalancerArns: svc.NetworkLoadBalancerArns,
    IpAddressType: e.IpAddressType,
    VpcEndpointConnectionId: e._connectionId,
  };
}

type Connection = ReturnType<typeof connectionOf>;

const CONNECTION_FILTERS = {
  'ip-address-type': (c: Connection) => c.IpAddressType,
  'service-id': (c: Connection) => c.ServiceId,
  'vpc-endpoint-id': (c: Connection) => c.VpcEndpointId,
  'vpc-endpoint-owner': (c: Connection) => c.VpcEndpointOwner,
  'vpc-endpoint-state': (c: Connection) => c.VpcEndpointState,
};

export function describeVpcEndpointConnections(input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const rows: Connection[] = [];
  for (const svc of env.store.list<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService, env.scope)) {
    for (const { value: e } of endpointsOfService(env, svc.ServiceId)) rows.push(connectionOf(svc, e));
  }
  const { page, NextToken } = paginate(applyFilters(rows, input.Filters, CONNECTION_FILTERS), input, { min: 5, max: 1000 });
  return { VpcEndpointConnections: page, NextToken };
}

interface UnsuccessfulItem {
  Error: { Code: string; Message: string };
  ResourceId: string;
}

/**
 * Moves each named endpoint of the service to `to` when it stands in one of
 * `from`; every other id is an Unsuccessful item (codes AWS uses, wordings
 * localnet's [unverified]).
 */
function decide(input: { ServiceId: string; VpcEndpointIds: string[] }, env: HandlerEnv, from: string[], to: string) {
  const svc = mustService(env, input.ServiceId);
  const mine = new Map(endpointsOfService(env, svc.ServiceId).map((c) => [c.value.VpcEndpointId, c]));
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of input.VpcEndpointIds ?? []) {
    const found: { scope: Scope; value: VpcEndpoint } | undefined = mine.get(id);
    if (!found) {
      const err = isIdOf(K.vpcEndpoint, id) ? notFound(K.vpcEndpoint, id) : malformed(K.vpcEndpoint, id);
      Unsuccessful.push({ Error: { Code: err.code, Message: err.message }, ResourceId: id });
      continue;
    }
    const e = found.value;
    if (e.State === to) continue;
    if (!from.includes(e.State)) {
      Unsuccessful.push({ Error: { Code: 'InvalidVpcEndpointState', Message: `The VPC endpoint ${id} is in state ${e.State} and cannot be moved to ${to}.` }, ResourceId: id });
      continue;
    }
    e.State = to;
    e._connectionId ??= newConnectionId();
    env.store.put(KIND.vpcEndpoint, found.scope, e.VpcEndpointId, e);
  }
  return { Unsuccessful };
}

export function acceptVpcEndpointConnections(input: { ServiceId: string; VpcEndpointIds: string[] }, env: HandlerEnv) {
  // A rejected connection can be accepted later, as in the console [unverified].
  return decide(input, env, ['pendingAcceptance', 'rejected'], 'available');
}

export function rejectVpcEndpointConnections(input: { ServiceId: string; VpcEndpointIds: string[] }, env: HandlerEnv) {
  return decide(input, env, ['pendingAcceptance', 'pending', 'available'], 'rejected');
}

export const endpointPermissionHandlers = {
  ModifyVpcEndpointServicePermissions: modifyVpcEndpointServicePermissions,
  DescribeVpcEndpointServicePermissions: describeVpcEndpointServicePermissions,
  DescribeVpcEndpointConnections: describeVpcEndpointConnections,
  AcceptVpcEndpointConnections: acceptVpcEndpointConnections,
  RejectVpcEndpointConnections: rejectVpcEndpointConnections,
} satisfies Handlers;
