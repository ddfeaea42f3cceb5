// How an NLB picks a target for a new flow: a hash of the flow over the
// healthy targets that are not draining, so one flow always lands on one
// target while the set stays the same. UDP hashes the client's address and
// port (AWS: the 5-tuple, the listener's half fixed per socket), so a
// client's datagrams keep their target; a TCP connection is a flow of its
// own, so the TCP listener passes a turn counter instead (same spread, no
// getpeername per connection). When no target is healthy the NLB fails open
// to every registered one, as AWS does.
import type { HealthOf } from '../balancer.ts';
import type { ResolvedTarget } from '../state.ts';

/** FNV-1a over the client's address and port: cheap, and spreads consecutive ports. */
export function flowHash(address: string, port: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) {
    h ^= address.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= port & 0xff;
  h = Math.imul(h, 0x01000193);
  h ^= port >>> 8;
  h = Math.imul(h, 0x01000193);
  return h >>> 0;
}

export function chooseTarget(targets: readonly ResolvedTarget[], health: HealthOf, hash: number, checksEnabled: boolean): ResolvedTarget | undefined {
  let healthy = 0;
  let live = 0;
  for (const t of targets) {
    if (t.draining) continue;
    live++;
    if (!checksEnabled || health(t.key) === 'healthy') healthy++;
  }
  if (live === 0) return undefined;
  const failOpen = healthy === 0;
  let n = hash % (failOpen ? live : healthy);
  for (const t of targets) {
    if (t.draining || (!failOpen && checksEnabled && health(t.key) !== 'healthy')) continue;
    if (n-- === 0) return t;
  }
  return undefined;
}
