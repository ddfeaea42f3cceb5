// localnet's DNS server: the public view on opts.host:opts.port and one VPC
// view (the Route 53 Resolver of that VPC) per VPC on its own loopback
// address in 127.53.0.0/16, same port. All views answer from one index built
// from the snapshot once per change, reusing the zones' indexes the change
// did not touch.
//
// Port: localnet uses 53 when it may bind it, else 10053 (LOCALNET_DNS_PORT
// overrides; that choice is made by the caller). With port 0 (tests) every
// view gets its own kernel-chosen port; views() tells which.
import type { Packet } from 'dns-packet';
import { answer as answerPacket } from './answer.ts';
import { ViewListener } from './listener.ts';
import { buildSnapshotIndex, type SnapshotIndex } from './snapshot-index.ts';
import type { DnsSnapshot } from './types.ts';
import type { ResolveOptions } from './view-chain.ts';
import { assignVpcAddresses } from './vpc-addresses.ts';
import { bindHint } from '../bind-hint.ts';

export interface DnsServerOptions {
  host: string;
  port: number;
  snapshot: () => DnsSnapshot;
  log?(line: string): void;
}

export interface DnsViewAddress {
  view: 'public' | string /* vpc id */;
  address: string;
  port: number;
  /** VPC+2: where the resolver lives inside the VPC on AWS. */
  resolverIp?: string;
}

export interface DnsServer {
  /** State changed: the next query sees the new state; VPC addresses are rebound in the background (await ready()). */
  invalidate(): void;
  views(): DnsViewAddress[];
  /** Resolves once the sockets match the latest state (additive to the agreed API; for tests and status output). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Pure: the response to `query` in `view`, for tests and `localnet dig`. */
export function answer(snapshotIndex: SnapshotIndex, view: string, query: Packet, opts?: ResolveOptions): Packet {
  return answerPacket(snapshotIndex, view, query, opts);
}

export { buildSnapshotIndex };

/** Every socket binds to loopback only (127.0.0.0/8 or ::1). */
export function isLoopback(host: string): boolean {
  return host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const host = opts.host === 'localhost' ? '127.0.0.1' : opts.host;
  if (!isLoopback(host)) throw new Error(`DNS server must bind a loopback address (127.0.0.0/8 or ::1), not ${opts.host}`);
  const log = opts.log ?? (() => undefined);

  let index: SnapshotIndex = buildSnapshotIndex(opts.snapshot());
  let dirty = false;
  let closed = false;
  const reportProblems = (ix: SnapshotIndex) => {
    for (const p of ix.problems.slice(0, 20)) log(`dns: ${p}`);
    if (ix.problems.length > 20) log(`dns: … and ${ix.problems.length - 20} more problems`);
  };
  reportProblems(index);

  const listeners = new Map<string, ViewListener>();
  const host_ = {
    current(): SnapshotIndex {
      if (dirty) rebuild();
      return index;
    },
    log,
  };

  function rebuild(): void {
    dirty = false;
    try {
      index = buildSnapshotIndex(opts.snapshot(), index);
      reportProblems(index);
    } catch (e) {
      log(`dns: could not read the DNS state, still answering from the previous one: ${(e as Error).message}`);
    }
    reconcileSoon();
  }

  let addresses = new Map<string, string>();
  let reconciling: Promise<void> = Promise.resolve();
  function reconcileSoon(): void {
    reconciling = reconciling.then(reconcile, reconcile);
  }

  /** Binds a listener per VPC in the index, closes the ones whose VPC is gone. */
  async function reconcile(): Promise<void> {
    if (closed) return;
    const ix = index;
    addresses = assignVpcAddresses(ix.vpcs.keys(), addresses);
    const work: Promise<void>[] = [];
    for (const [vpcId, l] of listeners) {
      if (vpcId === 'public') continue;
      if (addresses.get(vpcId) !== l.address) {
        listeners.delete(vpcId);
        work.push(l.close());
      }
    }
    for (const [vpcId, address] of addresses) {
      if (listeners.has(vpcId)) continue;
      const l = new ViewListener(vpcId, address, host_);
      listeners.set(vpcId, l);
      work.push(l.listen(opts.port).then(
        () => log(`dns: view ${vpcId} on ${address}:${l.port}`),
        (e: Error) => { listeners.delete(vpcId); log(`dns: cannot bind view ${vpcId} on ${address}:${opts.port}: ${e.message}${bindHint(e, address)}`); },
      ));
    }
    await Promise.all(work);
  }

  const pub = new ViewListener('public', host, host_);
  await pub.listen(opts.port);
  listeners.set('public', pub);
  log(`dns: public view on ${host}:${pub.port}`);
  reconcileSoon();
  await reconciling;

  return {
    invalidate() {
      dirty = true;
      for (const l of listeners.values()) l.cache.clear();
      // Rebuild soon even if no query comes, so VPC addresses follow the state; a query arriving first rebuilds itself.
      setImmediate(() => { if (dirty && !closed) rebuild(); });
    },
    views() {
      const ix = host_.current();
      const out: DnsViewAddress[] = [{ view: 'public', address: host, port: pub.port }];
      for (const [vpcId, l] of listeners) {
        if (vpcId === 'public' || l.port === 0) continue;
        out.push({ view: vpcId, address: l.address, port: l.port, resolverIp: ix.vpcs.get(vpcId)?.resolverIp });
      }
      return out;
    },
    async ready() {
      if (dirty) rebuild();
      await reconciling;
    },
    async close() {
      closed = true;
      await reconciling;
      await Promise.all([...listeners.values()].map((l) => l.close()));
      listeners.clear();
    },
  };
}
