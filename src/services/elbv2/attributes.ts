// Load balancer and target group attributes: every key AWS lists for the
// resource type with AWS's defaults, and the values each key accepts.
// Describe*Attributes return the whole map; Modify*Attributes validate every
// pair before changing anything.
import { AwsError } from '../../aws/errors.ts';
import type { LoadBalancerType, TargetGroup } from './types.ts';

type Rule = { bool: true } | { int: [number, number]; orZero?: boolean } | { oneOf: string[] } | { text: number } | { stickiness: { protocol: string; types: string[] } };

interface AttributeSpec {
  value: string;
  rule: Rule;
}

const bool = (value: boolean): AttributeSpec => ({ value: String(value), rule: { bool: true } });
const int = (value: number, min: number, max: number, orZero = false): AttributeSpec => ({ value: String(value), rule: { int: [min, max], orZero } });
const oneOf = (value: string, values: string[]): AttributeSpec => ({ value, rule: { oneOf: values } });
const text = (value = '', max = 1024): AttributeSpec => ({ value, rule: { text: max } });
/** stickiness.type: the types the group's protocol supports (the first is the default). */
const stickinessType = (protocol: string, types: string[]): AttributeSpec => ({ value: types[0], rule: { stickiness: { protocol, types } } });

/** The stickiness types AWS names when a value is none of them (Application and Network Load Balancer groups). */
const STICKINESS_TYPES = ['app_cookie', 'lb_cookie', 'source_ip'];

const ACCESS_LOGS: Record<string, AttributeSpec> = {
  'access_logs.s3.enabled': bool(false),
  'access_logs.s3.bucket': text(),
  'access_logs.s3.prefix': text(),
  // Blocks internet gateway traffic to the load balancer's IPv6 addresses:
  // false for internet-facing load balancers, true for internal ones.
  'ipv6.deny_all_igw_traffic': bool(false),
};

const LOAD_BALANCER: Record<LoadBalancerType, Record<string, AttributeSpec>> = {
  application: {
    ...ACCESS_LOGS,
    'connection_logs.s3.enabled': bool(false),
    'connection_logs.s3.bucket': text(),
    'connection_logs.s3.prefix': text(),
    'health_check_logs.s3.enabled': bool(false),
    'health_check_logs.s3.bucket': text(),
    'health_check_logs.s3.prefix': text(),
    'client_keep_alive.seconds': int(3600, 60, 604800),
    'deletion_protection.enabled': bool(false),
    'idle_timeout.timeout_seconds': int(60, 1, 4000),
    'routing.http.desync_mitigation_mode': oneOf('defensive', ['monitor', 'defensive', 'strictest']),
    'routing.http.drop_invalid_header_fields.enabled': bool(false),
    'routing.http.preserve_host_header.enabled': bool(false),
    'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': bool(false),
    'routing.http.xff_client_port.enabled': bool(false),
    'routing.http.xff_header_processing.mode': oneOf('append', ['append', 'preserve', 'remove']),
    'routing.http2.enabled': bool(true),
    'waf.fail_open.enabled': bool(false),
    'zonal_shift.config.enabled': bool(false),
    // Always on for an Application Load Balancer; AWS lists it and refuses false.
    'load_balancing.cross_zone.enabled': oneOf('true', ['true']),
  },
  network: {
    ...ACCESS_LOGS,
    'deletion_protection.enabled': bool(false),
    'load_balancing.cross_zone.enabled': bool(false),
    'dns_record.client_routing_policy': oneOf('any_availability_zone', ['availability_zone_affinity', 'partial_availability_zone_affinity', 'any_availability_zone']),
    // Secondary IP addresses per subnet for the load balancer's nodes (AWS
    // refuses to decrease it once raised; localnet only stores it).
    'secondary_ips.auto_assigned.per_subnet': int(0, 0, 7),
    'zonal_shift.config.enabled': bool(false),
  },
};

const TG_HEALTH: Record<string, AttributeSpec> = {
  'load_balancing.cross_zone.enabled': oneOf('use_load_balancer_configuration', ['true', 'false', 'use_load_balancer_configuration']),
  'target_group_health.dns_failover.minimum_healthy_targets.count': oneOf('1', ['off', ...Array.from({ length: 1000 }, (_, i) => String(i + 1))]),
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': oneOf('off', ['off', ...Array.from({ length: 100 }, (_, i) => String(i + 1))]),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': int(1, 1, 1000),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': oneOf('off', ['off', ...Array.from({ length: 100 }, (_, i) => String(i + 1))]),
};

/** The attribute specs of a target group: they depend on its protocol family and target type. */
function targetGroupSpecs(tg: Pick<TargetGroup, 'Protocol' | 'TargetType'>): Record<string, AttributeSpec> {
  if (tg.TargetType === 'lambda') return { 'lambda.multi_value_headers.enabled': bool(false) };
  const http = tg.Protocol === 'HTTP' || tg.Protocol === 'HTTPS';
  if (http) {
    return {
      'deregistration_delay.timeout_seconds': int(300, 0, 3600),
      'stickiness.enabled': bool(false),
      'stickiness.type': stickinessType(tg.Protocol ?? 'HTTP', ['lb_cookie', 'app_cookie']),
      'stickiness.lb_cookie.duration_seconds': int(86400, 1, 604800),
      'stickiness.app_cookie.cookie_name': text('', 255),
      'stickiness.app_cookie.duration_seconds': int(86400, 1, 604800),
      'slow_start.duration_seconds': int(0, 30, 900, true),
      'load_balancing.algorithm.type': oneOf('round_robin', ['round_robin', 'least_outstanding_requests', 'weighted_random']),
      'load_balancing.algorithm.anomaly_mitigation': oneOf('off', ['on', 'off']),
      ...TG_HEALTH,
    };
  }
  if (tg.Protocol === 'GENEVE') {
    // Gateway Load Balancer groups (not creatable in localnet): their own
    // stickiness types and flow handling.
    const failover = ['rebalance', 'no_rebalance'];
    return {
      'deregistration_delay.timeout_seconds': int(300, 0, 3600),
      'stickiness.enabled': bool(false),
      'stickiness.type': stickinessType('GENEVE', ['source_ip_dest_ip', 'source_ip_dest_ip_proto']),
      'target_failover.on_deregistration': oneOf('no_rebalance', failover),
      'target_failover.on_unhealthy': oneOf('no_rebalance', failover),
      'send_tcp_reset.on_unhealthy.enabled': bool(false),
      'send_tcp_reset.on_deregistration.enabled': bool(false),
    };
  }
  const udp = tg.Protocol === 'UDP' || tg.Protocol === 'TCP_UDP';
  return {
    'deregistration_delay.timeout_seconds': int(300, 0, 3600),
    // AWS: true for new UDP/TCP_UDP groups, false otherwise.
    'deregistration_delay.connection_termination.enabled': bool(udp),
    // AWS: off for IP targets over TCP/TLS, on otherwise; UDP/TCP_UDP cannot turn it off.
    'preserve_client_ip.enabled': bool(tg.TargetType === 'instance' || udp),
    'proxy_protocol_v2.enabled': bool(false),
    'stickiness.enabled': bool(false),
    'stickiness.type': stickinessType(tg.Protocol ?? 'TCP', ['source_ip']),
    // AWS documents a default of true and that UDP/TCP_UDP groups cannot
    // enable it, so those start at false (unverified against a live answer).
    'target_health_state.unhealthy.connection_termination.enabled': bool(!udp),
    'target_health_state.unhealthy.draining_interval_seconds': int(0, 0, 360000),
    ...TG_HEALTH,
  };
}

function defaults(specs: Record<string, AttributeSpec>): Record<string, string> {
  return Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.value]));
}

/** The attributes of a new load balancer; an internal one denies IPv6 internet gateway traffic. */
export function loadBalancerAttributeDefaults(type: LoadBalancerType, scheme?: string): Record<string, string> {
  const map = defaults(LOAD_BALANCER[type]);
  if (scheme === 'internal') map['ipv6.deny_all_igw_traffic'] = 'true';
  return map;
}

export function targetGroupAttributeDefaults(tg: Pick<TargetGroup, 'Protocol' | 'TargetType'>): Record<string, string> {
  return defaults(targetGroupSpecs(tg));
}

function check(noun: string, key: string, value: string | undefined, spec: AttributeSpec | undefined, elsewhere?: string): void {
  if (!spec && elsewhere) throw new AwsError('InvalidConfigurationRequest', `${noun} attribute key '${key}' is not supported on load balancers with type '${elsewhere}'`);
  if (!spec) throw new AwsError('ValidationError', `${noun} attribute key '${key}' is not recognized`);
  const v = value ?? '';
  const r = spec.rule;
  const bad = (why: string) => new AwsError('ValidationError', `${noun} attribute '${key}' ${why}`);
  if ('bool' in r && v !== 'true' && v !== 'false') throw bad(`must be 'true' or 'false', not '${v}'`);
  if ('int' in r) {
    const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
    const [min, max] = r.int;
    if (!(Number.isInteger(n) && ((n >= min && n <= max) || (r.orZero && n === 0)))) throw bad(`must be ${r.orZero ? '0 or ' : ''}an integer between ${min} and ${max}, not '${v}'`);
  }
  if ('oneOf' in r && !r.oneOf.includes(v)) throw bad(r.oneOf.length > 10 ? `does not accept '${v}'` : `must be one of ${r.oneOf.map((x) => `'${x}'`).join(', ')}, not '${v}'`);
  if ('text' in r && v.length > r.text) throw bad(`cannot be longer than ${r.text} characters`);
  if ('stickiness' in r) checkStickinessType(v, r.stickiness.protocol, r.stickiness.types);
}

/**
 * AWS's answers for a stickiness type: one of the three known types that the
 * group's protocol does not support is InvalidConfigurationRequest; any other
 * value is ValidationError naming the three. Gateway Load Balancer (GENEVE)
 * groups support only their own types and answer with the same list.
 */
function checkStickinessType(v: string, protocol: string, types: string[]): void {
  if (types.includes(v)) return;
  // The code of the "must be one of" answer is unverified (ValidationError chosen).
  if (protocol === 'GENEVE' || !STICKINESS_TYPES.includes(v)) throw new AwsError('ValidationError', `'Stickiness type' must be one of [${STICKINESS_TYPES.join(', ')}]`);
  throw new AwsError('InvalidConfigurationRequest', `Stickiness type '${v}' is not supported for target groups with the ${protocol} protocol`);
}

/** Validates every pair, then returns the new map (the input map is not changed). */
export function applyAttributes(noun: 'Load balancer' | 'Target group', current: Record<string, string>, specs: Record<string, AttributeSpec>, attrs: { Key?: string; Value?: string }[], type?: LoadBalancerType): Record<string, string> {
  if (!attrs?.length) throw new AwsError('ValidationError', 'At least one attribute must be specified');
  const next = { ...current };
  for (const a of attrs) {
    if (!a.Key) throw new AwsError('ValidationError', 'An attribute key must be specified');
    // A key another load balancer type has: AWS says it is not supported on this type.
    const elsewhere = type && !specs[a.Key] && (Object.keys(LOAD_BALANCER) as LoadBalancerType[]).some((t) => t !== type && LOAD_BALANCER[t][a.Key!]) ? type : undefined;
    check(noun, a.Key, a.Value, specs[a.Key], elsewhere);
    next[a.Key] = a.Value ?? '';
  }
  if (next['access_logs.s3.enabled'] === 'true' && !next['access_logs.s3.bucket']) throw new AwsError('ValidationError', 'The value of access_logs.s3.bucket cannot be empty when access logs are enabled');
  return next;
}

export function modifyLoadBalancerAttributeMap(type: LoadBalancerType, current: Record<string, string>, attrs: { Key?: string; Value?: string }[]): Record<string, string> {
  const next = applyAttributes('Load balancer', current, LOAD_BALANCER[type], attrs, type);
  // AWS: "After you set this value, you can't decrease it." (message is localnet's wording)
  const key = 'secondary_ips.auto_assigned.per_subnet';
  if (Number(next[key] ?? 0) < Number(current[key] ?? 0)) throw new AwsError('InvalidConfigurationRequest', `'${key}' cannot be decreased from '${current[key]}' to '${next[key]}'`);
  return next;
}

export function modifyTargetGroupAttributeMap(tg: TargetGroup, attrs: { Key?: string; Value?: string }[]): Record<string, string> {
  const next = applyAttributes('Target group', tg._attributes, targetGroupSpecs(tg), attrs);
  // TLS target groups list stickiness but refuse to enable it. The wording
  // follows AWS's other stickiness answers; unverified.
  if (tg.Protocol === 'TLS' && next['stickiness.enabled'] === 'true') throw new AwsError('InvalidConfigurationRequest', 'Stickiness is not supported for target groups with the TLS protocol');
  checkRoutingAlgorithm(next);
  checkNetworkGroup(tg, next, attrs);
  return next;
}

/**
 * The Network Load Balancer group rules AWS documents (the messages are
 * localnet's wording; the codes follow AWS's other attribute refusals):
 * UDP/TCP_UDP groups keep client IP preservation and cannot terminate
 * connections to unhealthy targets; the unhealthy draining interval can only
 * be set while that termination is off. Also the reserved application cookie
 * prefixes and the Gateway Load Balancer failover pair.
 */
function checkNetworkGroup(tg: TargetGroup, a: Record<string, string>, attrs: { Key?: string; Value?: string }[]): void {
  const refuse = (message: string) => new AwsError('InvalidConfigurationRequest', message);
  const given = new Set(attrs.map((x) => x.Key));
  const udp = tg.Protocol === 'UDP' || tg.Protocol === 'TCP_UDP';
  if (udp && given.has('preserve_client_ip.enabled') && a['preserve_client_ip.enabled'] === 'false') throw refuse(`Client IP preservation cannot be disabled for target groups with the ${tg.Protocol} protocol`);
  if (udp && given.has('target_health_state.unhealthy.connection_termination.enabled') && a['target_health_state.unhealthy.connection_termination.enabled'] === 'true') throw refuse(`Connection termination for unhealthy targets cannot be enabled for target groups with the ${tg.Protocol} protocol`);
  if (given.has('target_health_state.unhealthy.draining_interval_seconds') && a['target_health_state.unhealthy.connection_termination.enabled'] === 'true') {
    throw refuse("'target_health_state.unhealthy.draining_interval_seconds' can only be set when 'target_health_state.unhealthy.connection_termination.enabled' is 'false'");
  }
  const cookie = a['stickiness.app_cookie.cookie_name'];
  if (given.has('stickiness.app_cookie.cookie_name') && cookie && /^AWSALB/.test(cookie)) {
    throw new AwsError('ValidationError', `Cookie name '${cookie}' cannot start with 'AWSALB', 'AWSALBAPP' or 'AWSALBTG'; those prefixes are reserved for the load balancer`);
  }
  if (a['target_failover.on_deregistration'] !== a['target_failover.on_unhealthy']) {
    throw refuse("'target_failover.on_deregistration' and 'target_failover.on_unhealthy' must have the same value");
  }
}

/**
 * The routing algorithm's combinations AWS documents as impossible: weighted
 * random with sticky sessions or slow start, least outstanding requests with
 * slow start, anomaly mitigation without weighted random. Checked on the
 * resulting map, so one call can switch both sides. The first two messages
 * are AWS's own.
 */
function checkRoutingAlgorithm(a: Record<string, string>): void {
  const algorithm = a['load_balancing.algorithm.type'];
  const slowStart = Number(a['slow_start.duration_seconds'] ?? '0') > 0;
  const refuse = (message: string) => new AwsError('InvalidConfigurationRequest', message);
  if (algorithm === 'weighted_random' && a['stickiness.enabled'] === 'true') throw refuse('You cannot have both stickiness and weighted random algorithm enabled on the same target group.');
  if (algorithm === 'weighted_random' && slowStart) throw refuse('You cannot enable both slow start and weighted random algorithm on a target group');
  if (algorithm === 'least_outstanding_requests' && slowStart) throw refuse('You cannot enable both slow start and least outstanding requests algorithm on a target group');
  if (a['load_balancing.algorithm.anomaly_mitigation'] === 'on' && algorithm !== 'weighted_random') {
    throw refuse(`Anomaly mitigation is only available when 'load_balancing.algorithm.type' is 'weighted_random', not '${algorithm}'`);
  }
}

/** The map as the API lists it: [{Key, Value}] sorted by key. */
export function attributeList(map: Record<string, string>): { Key: string; Value: string }[] {
  return Object.keys(map)
    .sort()
    .map((Key) => ({ Key, Value: map[Key] }));
}
