// The hosted zones as the DNS snapshot holds them, read from the store. A
// StoredZones keeps every zone it converted with the store revision it came
// from (Store.revisions) and rereads only the zones whose revision moved: a
// write to one zone costs that zone, the others stay the very same objects,
// and buildSnapshotIndex reuses their ZoneIndex (keyed by that identity).
import { KIND } from '../records/kinds.ts';
import { one } from '../records/read.ts';
import type { HostedZone, RecordSet } from '../records/route53.ts';
import type { Store } from '../store/store.ts';
import type { DnsRecordSet, DnsZone } from './types.ts';

export interface StoredZone {
  zone: DnsZone;
  /** The zone's name servers (for delegations), without the final dot. */
  nameServers: string[];
}

export class StoredZones {
  /** account, region and zone id -> the store revision and what it became. */
  private byKey = new Map<string, { rev: number; stored: StoredZone }>();

  /** Every hosted zone in the store, oldest first. */
  read(store: Store): StoredZone[] {
    const next = new Map<string, { rev: number; stored: StoredZone }>();
    for (const { scope, id, rev } of store.revisions(KIND.hostedZone)) {
      const key = `${scope.account} ${scope.region} ${id}`;
      let entry = this.byKey.get(key);
      if (entry?.rev !== rev) {
        const z = one(store, KIND.hostedZone, scope, id);
        if (!z) continue; // revisions and get run in one turn of the event loop: no write comes between them
        entry = { rev, stored: fromHostedZone(z) };
      }
      next.set(key, entry);
    }
    // Zones deleted since the last read drop out here.
    this.byKey = next;
    return [...next.values()].map((e) => e.stored);
  }
}

function fromHostedZone(z: HostedZone): StoredZone {
  return {
    zone: { id: z.Id, name: z.Name, private: z.PrivateZone, vpcs: z.VPCs.map((v) => ({ vpcId: v.VPCId, region: v.VPCRegion })), records: z.RecordSets.map(recordSet) },
    nameServers: z.NameServers,
  };
}

function recordSet(r: RecordSet): DnsRecordSet {
  return {
    name: r.Name,
    type: r.Type,
    ttl: r.TTL ?? 0,
    values: (r.ResourceRecords ?? []).map((v) => v.Value),
    alias: r.AliasTarget ? { dnsName: r.AliasTarget.DNSName, hostedZoneId: r.AliasTarget.HostedZoneId, evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth } : undefined,
    setIdentifier: r.SetIdentifier,
    weight: r.Weight,
    multiValueAnswer: r.MultiValueAnswer,
  };
}
