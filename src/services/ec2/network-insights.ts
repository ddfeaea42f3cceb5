// EC2 Network Insights (Reachability Analyzer) on localnet's reachability
// engine (src/net/reachability/): paths (nip-) name a source and a
// destination; an analysis (nia-) runs synchronously over the current state
// and is stored succeeded, with NetworkPathFound, both paths' components and
// the explanations in the model's shapes. AWS takes tens of seconds per
// analysis; here it is milliseconds, so there is no 'running' phase to poll.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { analyze, type Endpoint } from '../../net/reachability/analyze.ts';
import { networkDataFromRecords } from '../../net/model/from-records.ts';
import { buildNetworkModel } from '../../net/model/model.ts';
import type { Analysis, Explanation, Hop } from '../../net/reachability/types.ts';
import { applyFilters, paginate, type Filter, type Tag } from './describe.ts';
import { all, find, isIdOf, K, malformed, must, newId, notFound, remove, save, type Kind } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';

const PATH: Kind = K.networkInsightsPath;
const ANALYSIS: Kind = K.networkInsightsAnalysis;

export interface NetworkInsightsPath {
  NetworkInsightsPathId: string;
  NetworkInsightsPathArn: string;
  CreatedDate: string;
  Source: string;
  Destination?: string;
  SourceArn: string;
  DestinationArn?: string;
  SourceIp?: string;
  DestinationIp?: string;
  Protocol: 'tcp' | 'udp';
  DestinationPort?: number;
  Tags?: Tag[];
  _clientToken: string;
}

type PathComponent = Omit<Hop, 'kind' | 'direction' | 'note'>;

export interface NetworkInsightsAnalysis {
  NetworkInsightsAnalysisId: string;
  NetworkInsightsAnalysisArn: string;
  NetworkInsightsPathId: string;
  StartDate: string;
  Status: 'running' | 'succeeded' | 'failed';
  StatusMessage?: string;
  NetworkPathFound: boolean;
  ForwardPathComponents: PathComponent[];
  ReturnPathComponents: PathComponent[];
  Explanations: Explanation[];
  FilterInArns: string[];
  AdditionalAccounts: string[];
  Tags?: Tag[];
  _clientToken: string;
}

/** EC2 resource types a path may start or end at, by id prefix (AWS also takes transit gateways, VPN gateways, endpoints and peering connections: not emulated). */
const ARN_TYPES: Record<string, { kind: Kind; arnType: string }> = {
  i: { kind: K.instance, arnType: 'instance' },
  eni: { kind: K.networkInterface, arnType: 'network-interface' },
  igw: { kind: K.internetGateway, arnType: 'internet-gateway' },
  // A VPC endpoint is a destination only (AWS's Reachability Analyzer lists it among destination types).
  vpce: { kind: K.vpcEndpoint, arnType: 'vpc-endpoint' },
};

function arnOf(env: HandlerEnv, type: string, id: string): string {
  return `arn:aws:ec2:${env.scope.region}:${env.scope.account}:${type}/${id}`;
}

/**
 * Load balancers and NAT gateways are intermediate components in AWS's
 * Reachability Analyzer, never a path's source or destination: a path from
 * the internet to an instance behind a load balancer goes through it. AWS
 * does not document the error for naming one; this wording is localnet's.
 */
function intermediate(given: string, role: 'source' | 'destination'): AwsError | undefined {
  const what = given.startsWith('arn:aws:elasticloadbalancing:') ? 'a load balancer' : /(^|\/)nat-[0-9a-f]+$/.test(given) ? 'a NAT gateway' : undefined;
  if (!what) return undefined;
  return new AwsError('InvalidParameterValue', `The ${role} '${given}' is ${what}: load balancers and NAT gateways are intermediate components of a path, not its ${role}. Name the instance, network interface or internet gateway on the other side of it`, 400);
}

/** A Source or Destination (id or ARN) checked to exist: its id, its ARN and the engine endpoint. */
function resource(env: HandlerEnv, given: string, role: 'source' | 'destination'): { id: string; arn: string; endpoint: Endpoint } {
  const refused = intermediate(given, role);
  if (refused) throw refused;
  const id = given.startsWith('arn:') ? given.slice(given.lastIndexOf('/') + 1) : given;
  const prefix = id.slice(0, id.lastIndexOf('-'));
  const t = ARN_TYPES[prefix];
  if (!t || (prefix === 'vpce' && role === 'source')) {
    throw new AwsError('InvalidParameterValue', `The ${role} '${given}' is not a supported resource: localnet analyses paths between instances, network interfaces and internet gateways, and to VPC endpoints`, 400);
  }
  must(env, t.kind, id);
  const endpoint: Endpoint =
    prefix === 'i' ? { kind: 'instance', id } : prefix === 'eni' ? { kind: 'eni', id } : prefix === 'vpce' ? { kind: 'vpc-endpoint', id } : role === 'source' ? { kind: 'internet', igwId: id } : { kind: 'internet' };
  return { id, arn: arnOf(env, t.arnType, id), endpoint };
}

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

export function createNetworkInsightsPath(
  input: { Source?: string; Destination?: string; SourceIp?: string; DestinationIp?: string; Protocol?: string; DestinationPort?: number; ClientToken?: string; TagSpecifications?: TagSpecification[] },
  env: HandlerEnv,
) {
  if (!input.Source) throw new AwsError('MissingParameter', 'The request must contain the parameter Source', 400);
  if (!input.Protocol) throw new AwsError('MissingParameter', 'The request must contain the parameter Protocol', 400);
  const token = input.ClientToken ?? '';
  if (token) {
    const earlier = all<NetworkInsightsPath>(env, PATH).find((p) => p._clientToken === token);
    if (earlier) return { NetworkInsightsPath: earlier };
  }
  const protocol = input.Protocol.toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp') throw new AwsError('InvalidParameterValue', `Value (${input.Protocol}) for parameter Protocol is invalid. Valid values: tcp, udp`, 400);
  if (input.DestinationPort !== undefined && !(input.DestinationPort >= 0 && input.DestinationPort <= 65535)) throw new AwsError('InvalidParameterValue', `Value (${input.DestinationPort}) for parameter DestinationPort is invalid`, 400);
  for (const [name, ip] of [['SourceIp', input.SourceIp], ['DestinationIp', input.DestinationIp]] as const) {
    if (ip !== undefined && !IPV4.test(ip)) throw new AwsError('InvalidParameterValue', `Value (${ip}) for parameter ${name} is invalid`, 400);
  }
  if (!input.Destination && !input.DestinationIp) throw new AwsError('InvalidParameterCombination', 'Either Destination or DestinationIp must be specified', 400);
  const src = resource(env, input.Source, 'source');
  const dst = input.Destination ? resource(env, input.Destination, 'destination') : undefined;
  const id = newId('nip');
  const path: NetworkInsightsPath = {
    NetworkInsightsPathId: id,
    NetworkInsightsPathArn: arnOf(env, 'network-insights-path', id),
    CreatedDate: new Date().toISOString(),
    Source: src.id,
    SourceArn: src.arn,
    ...(dst ? { Destination: dst.id, DestinationArn: dst.arn } : {}),
    SourceIp: input.SourceIp,
    DestinationIp: input.DestinationIp,
    Protocol: protocol,
    DestinationPort: input.DestinationPort,
    Tags: tagsFromSpecs(input.TagSpecifications, 'network-insights-path'),
    _clientToken: token,
  };
  return { NetworkInsightsPath: save(env, PATH, path) };
}

export function describeNetworkInsightsPaths(input: { NetworkInsightsPathIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const ids = input.NetworkInsightsPathIds;
  let paths = ids?.length ? ids.map((id) => mustOf<NetworkInsightsPath>(env, PATH, id)) : all<NetworkInsightsPath>(env, PATH);
  paths = applyFilters(paths, input.Filters, { source: (p) => p.Source, destination: (p) => p.Destination, 'destination-ip': (p) => p.DestinationIp, protocol: (p) => p.Protocol, 'destination-port': (p) => p.DestinationPort });
  const { page, NextToken } = paginate(paths, input, { min: 1, max: 100 }, !!ids?.length);
  return { NetworkInsightsPaths: page, NextToken };
}

export function deleteNetworkInsightsPath(input: { NetworkInsightsPathId?: string }, env: HandlerEnv) {
  const path = mustOf<NetworkInsightsPath>(env, PATH, input.NetworkInsightsPathId);
  remove(env, PATH, path.NetworkInsightsPathId);
  return { NetworkInsightsPathId: path.NetworkInsightsPathId };
}

function mustOf<T>(env: HandlerEnv, k: Kind, id: string | undefined): T {
  if (!id) throw new AwsError('MissingParameter', `The request must contain the parameter ${k.idField}`, 400);
  const found = find<T>(env, k, id);
  if (found) return found;
  if (!isIdOf(k, id)) throw malformed(k, id);
  throw notFound(k, id);
}

/** Hops as PathComponents: the engine's own members (kind, note) dropped, the internet (not a component on AWS) left out. */
function components(hops: Hop[]): PathComponent[] {
  return hops.filter((h) => h.kind !== 'internet').map(({ kind: _k, direction: _d, note: _n, ...rest }, i) => ({ ...rest, SequenceNumber: i + 1 }));
}

function run(env: HandlerEnv, path: NetworkInsightsPath): Analysis {
  // A fresh snapshot inside the request's transaction: the analysis sees exactly the committed state.
  const snap = buildNetworkModel(networkDataFromRecords(env.store));
  const from = resource(env, path.Source, 'source').endpoint;
  // A SourceIp on an internet gateway path is the internet client's address (it must be public: IGW_EXPECTS_PUBLIC_ADDRESS).
  const source: Endpoint = from.kind === 'internet' && path.SourceIp ? { ...from, ip: path.SourceIp } : from;
  const destination: Endpoint = path.Destination ? resource(env, path.Destination, 'destination').endpoint : { kind: 'address', ip: path.DestinationIp! };
  return analyze(snap, { source, destination, protocol: path.Protocol, port: path.DestinationPort });
}

export function startNetworkInsightsAnalysis(input: { NetworkInsightsPathId?: string; FilterInArns?: string[]; AdditionalAccounts?: string[]; ClientToken?: string; TagSpecifications?: TagSpecification[] }, env: HandlerEnv) {
  const path = mustOf<NetworkInsightsPath>(env, PATH, input.NetworkInsightsPathId);
  const token = input.ClientToken ?? '';
  if (token) {
    const earlier = all<NetworkInsightsAnalysis>(env, ANALYSIS).find((a) => a._clientToken === token);
    if (earlier) return { NetworkInsightsAnalysis: earlier };
  }
  const id = newId('nia');
  let analysis: NetworkInsightsAnalysis = {
    NetworkInsightsAnalysisId: id,
    NetworkInsightsAnalysisArn: arnOf(env, 'network-insights-analysis', id),
    NetworkInsightsPathId: path.NetworkInsightsPathId,
    StartDate: new Date().toISOString(),
    Status: 'succeeded',
    NetworkPathFound: false,
    ForwardPathComponents: [],
    ReturnPathComponents: [],
    Explanations: [],
    FilterInArns: input.FilterInArns ?? [],
    AdditionalAccounts: input.AdditionalAccounts ?? [],
    Tags: tagsFromSpecs(input.TagSpecifications, 'network-insights-analysis'),
    _clientToken: token,
  };
  try {
    const a = run(env, path);
    analysis = { ...analysis, NetworkPathFound: a.pathFound, ForwardPathComponents: components(a.forward), ReturnPathComponents: components(a.return), Explanations: a.blocks.map((b) => b.explanation) };
  } catch (err) {
    // The path's resources may be gone since it was created: AWS reports that as a failed analysis.
    if (!(err instanceof AwsError)) throw err;
    analysis = { ...analysis, Status: 'failed', StatusMessage: err.message };
  }
  return { NetworkInsightsAnalysis: save(env, ANALYSIS, analysis) };
}

export function describeNetworkInsightsAnalyses(input: { NetworkInsightsAnalysisIds?: string[]; NetworkInsightsPathId?: string; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const ids = input.NetworkInsightsAnalysisIds;
  let list = ids?.length ? ids.map((id) => mustOf<NetworkInsightsAnalysis>(env, ANALYSIS, id)) : all<NetworkInsightsAnalysis>(env, ANALYSIS);
  if (input.NetworkInsightsPathId) list = list.filter((a) => a.NetworkInsightsPathId === input.NetworkInsightsPathId);
  list = applyFilters(list, input.Filters, { 'path-found': (a) => String(a.NetworkPathFound), status: (a) => a.Status });
  const { page, NextToken } = paginate(list, input, { min: 1, max: 100 }, !!ids?.length);
  return { NetworkInsightsAnalyses: page, NextToken };
}

export function deleteNetworkInsightsAnalysis(input: { NetworkInsightsAnalysisId?: string }, env: HandlerEnv) {
  const a = mustOf<NetworkInsightsAnalysis>(env, ANALYSIS, input.NetworkInsightsAnalysisId);
  remove(env, ANALYSIS, a.NetworkInsightsAnalysisId);
  return { NetworkInsightsAnalysisId: a.NetworkInsightsAnalysisId };
}

export const networkInsightsHandlers = {
  CreateNetworkInsightsPath: createNetworkInsightsPath,
  DescribeNetworkInsightsPaths: describeNetworkInsightsPaths,
  DeleteNetworkInsightsPath: deleteNetworkInsightsPath,
  StartNetworkInsightsAnalysis: startNetworkInsightsAnalysis,
  DescribeNetworkInsightsAnalyses: describeNetworkInsightsAnalyses,
  DeleteNetworkInsightsAnalysis: deleteNetworkInsightsAnalysis,
};
