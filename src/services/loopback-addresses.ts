// The loopback addresses localnet's data planes bind: each load balancer and
// each interface endpoint's network interface gets its own 127.x.y.z (Linux
// routes all of 127/8 to lo), so every port is free per holder as on AWS.
// ELBv2 (load balancers' `_address`) and EC2 (endpoint interfaces'
// `_address`) allocate from this one pool, so no two holders ever share one.
// LOCALNET_LB_ADDRESSES moves the pool (another /16 of 127/8), so two
// localnets on one machine (parallel test runs) do not bind the same sockets.
import { AwsError } from '../aws/errors.ts';
import { intToIp, ipToInt } from '../net/cidr.ts';
import type { NetworkInterface } from '../records/ec2.ts';
import type { LoadBalancer } from '../records/elbv2.ts';
import { KIND } from '../records/kinds.ts';
import type { Store } from '../store/store.ts';

const DEFAULT_POOL = '127.77.0.0/16';
const POOL_SIZE = 65536;

/** The pool's first address: LOCALNET_LB_ADDRESSES (127.x.0.0/16), else 127.77.0.0. */
export function loopbackPool(env: NodeJS.ProcessEnv = process.env): { base: number; text: string } {
  const text = env.LOCALNET_LB_ADDRESSES || DEFAULT_POOL;
  const m = /^127\.(\d{1,3})\.0\.0\/16$/.exec(text);
  if (!m || Number(m[1]) > 255) throw new Error(`LOCALNET_LB_ADDRESSES must be a /16 of 127.0.0.0/8 such as 127.78.0.0/16, got '${text}'`);
  return { base: ipToInt(`127.${m[1]}.0.0`), text };
}

/** Every pool address held now, over every account and region (addresses are machine-wide). */
function addressesInUse(store: Store): Set<string> {
  const used = new Set<string>();
  for (const { value } of store.listAll<LoadBalancer>(KIND.loadBalancer)) if (value._address) used.add(value._address);
  for (const { value } of store.listAll<NetworkInterface>(KIND.networkInterface)) if (value._address) used.add(value._address);
  return used;
}

/**
 * The lowest free address of the pool. `taken` holds addresses handed out in
 * the same request and not yet saved (an endpoint with several interfaces).
 * `what` names the holder in the error when the pool is full.
 */
export function allocateLoopbackAddress(store: Store, taken: Iterable<string> = [], what = 'load balancer'): string {
  const used = addressesInUse(store);
  for (const ip of taken) used.add(ip);
  const pool = loopbackPool();
  // .0 and .255 of the /16 stay unused so no address looks like a network or broadcast address.
  for (let n = pool.base + 1; n < pool.base + POOL_SIZE - 1; n++) {
    const ip = intToIp(n);
    if (!used.has(ip)) return ip;
  }
  const code = what === 'load balancer' ? 'TooManyLoadBalancers' : 'InsufficientAddressCapacity';
  throw new AwsError(code, `localnet has no free loopback address left in ${pool.text} for another ${what}`);
}
