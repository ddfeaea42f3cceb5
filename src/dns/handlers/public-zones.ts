// The internet's view of Route 53: only public zones, and for each domain only
// the zone the world is delegated to (snapshot.delegations). The most
// specific delegated zone containing the name answers. A second public zone
// for the same domain exists in Route 53 but nobody asks it, so it answers
// nothing here.
import { parentName } from '../names.ts';
import { zoneStep, type Handler } from './handler.ts';

export const publicZones: Handler = {
  name: 'public-zone',
  handle(q, ctx) {
    const { delegated, publicByApex } = ctx.index;
    for (let d = q.lname; d !== ''; d = parentName(d)) {
      const zone = delegated.get(d);
      if (!zone) {
        if (ctx.trace) {
          const undelegated = publicByApex.get(d);
          if (undelegated) ctx.trace.push(`public zone(s) ${undelegated.map((z) => z.id).join(', ')} exist for ${d} but the world is not delegated to any of them: they answer nothing publicly`);
        }
        continue;
      }
      if (ctx.trace) {
        const others = (publicByApex.get(d) ?? []).filter((z) => z !== zone);
        const ns = zone.nodes.get(zone.apex)?.types.get('NS')?.[0]?.data[0];
        ctx.trace.push(others.length
          ? `${others.length + 1} public zones exist for ${d}; the world is delegated to ${zone.id}${ns ? ` (${ns as string}, …)` : ''}; ${others.map((z) => z.id).join(', ')} not answering publicly`
          : `public zone ${zone.id} (${d}) is the one the world is delegated to`);
      }
      return zoneStep('public-zone', zone, zone.lookup(q.lname, q.type, q.name, ctx));
    }
    return undefined;
  },
};
