// The predefined security policies of Application and Network Load Balancers
// (docs: describe-ssl-policies.html) with their protocols and ciphers in
// priority order. The data plane reads sslPolicy() to configure TLS.
import type { Handlers } from '../../aws/service.ts';
import { AwsError } from '../../aws/errors.ts';
import { page } from './paging.ts';

export interface SslPolicy {
  Name: string;
  SslProtocols: string[];
  Ciphers: { Name: string; Priority: number }[];
  SupportedLoadBalancerTypes: string[];
}

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const ECDHE_GCM = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'];
const ECDHE_CBC_SHA2 = ['ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256', 'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384'];
const RSA_SHA2 = ['AES128-GCM-SHA256', 'AES128-SHA256', 'AES256-GCM-SHA384', 'AES256-SHA256'];

/** The classic 2016-08 order: GCM and CBC interleaved by key size, then static RSA. */
const CLASSIC = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA', 'ECDHE-ECDSA-AES256-SHA',
  'AES128-GCM-SHA256', 'AES128-SHA256', 'AES128-SHA', 'AES256-GCM-SHA384', 'AES256-SHA256', 'AES256-SHA',
];
const TLS12_ONLY = CLASSIC.filter((c) => !c.endsWith('-SHA'));

function policy(Name: string, SslProtocols: string[], ciphers: string[]): SslPolicy {
  return { Name, SslProtocols, Ciphers: ciphers.map((c, i) => ({ Name: c, Priority: i + 1 })), SupportedLoadBalancerTypes: ['application', 'network'] };
}

const V10_12 = ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
const V11_12 = ['TLSv1.1', 'TLSv1.2'];
const V12 = ['TLSv1.2'];
const V12_13 = ['TLSv1.2', 'TLSv1.3'];

export const SSL_POLICIES: SslPolicy[] = [
  policy('ELBSecurityPolicy-TLS13-1-2-2021-06', V12_13, [...TLS13, ...ECDHE_GCM.slice(0, 2), ...ECDHE_CBC_SHA2.slice(0, 2), ...ECDHE_GCM.slice(2), ...ECDHE_CBC_SHA2.slice(2)]),
  policy('ELBSecurityPolicy-TLS13-1-2-Res-2021-06', V12_13, [...TLS13, ...ECDHE_GCM]),
  policy('ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06', V12_13, [...TLS13, ...TLS12_ONLY.filter((c) => c.startsWith('ECDHE')), ...RSA_SHA2]),
  policy('ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06', V12_13, [...TLS13, ...CLASSIC]),
  policy('ELBSecurityPolicy-TLS13-1-1-2021-06', ['TLSv1.1', ...V12_13], [...TLS13, ...CLASSIC]),
  policy('ELBSecurityPolicy-TLS13-1-0-2021-06', ['TLSv1', 'TLSv1.1', ...V12_13], [...TLS13, ...CLASSIC]),
  policy('ELBSecurityPolicy-TLS13-1-3-2021-06', ['TLSv1.3'], TLS13),
  policy('ELBSecurityPolicy-TLS-1-2-Ext-2018-06', V12, CLASSIC),
  policy('ELBSecurityPolicy-TLS-1-2-2017-01', V12, TLS12_ONLY),
  policy('ELBSecurityPolicy-TLS-1-1-2017-01', V11_12, CLASSIC),
  policy('ELBSecurityPolicy-2016-08', V10_12, CLASSIC),
  policy('ELBSecurityPolicy-2015-05', V10_12, CLASSIC),
  policy('ELBSecurityPolicy-TLS-1-0-2015-04', V10_12, [...CLASSIC, 'DES-CBC3-SHA']),
  policy('ELBSecurityPolicy-FS-2018-06', V10_12, [...CLASSIC.filter((c) => c.startsWith('ECDHE'))]),
  policy('ELBSecurityPolicy-FS-1-1-2019-08', V11_12, [...CLASSIC.filter((c) => c.startsWith('ECDHE'))]),
  policy('ELBSecurityPolicy-FS-1-2-2019-08', V12, [...CLASSIC.filter((c) => c.startsWith('ECDHE'))]),
  policy('ELBSecurityPolicy-FS-1-2-Res-2019-08', V12, [...ECDHE_GCM.slice(0, 2), ...ECDHE_CBC_SHA2.slice(0, 2), ...ECDHE_GCM.slice(2), ...ECDHE_CBC_SHA2.slice(2)]),
  policy('ELBSecurityPolicy-FS-1-2-Res-2020-10', V12, ECDHE_GCM),
];

export function sslPolicy(name: string): SslPolicy | undefined {
  return SSL_POLICIES.find((p) => p.Name === name);
}

export function mustSslPolicy(name: string): SslPolicy {
  const p = sslPolicy(name);
  if (!p) throw new AwsError('SSLPolicyNotFound', `SSL policy '${name}' not found`);
  return p;
}

export function describeSslPolicies(input: { Names?: string[]; Marker?: string; PageSize?: number; LoadBalancerType?: string }) {
  const list = input.Names?.length ? input.Names.map(mustSslPolicy) : SSL_POLICIES;
  const typed = input.LoadBalancerType ? list.filter((p) => p.SupportedLoadBalancerTypes.includes(input.LoadBalancerType!)) : list;
  const { page: items, NextMarker } = page(typed, input);
  return { SslPolicies: items, NextMarker };
}

export const sslPolicyHandlers = {
  DescribeSSLPolicies: describeSslPolicies,
} satisfies Handlers;
