// What the public address data plane (src/public-addresses/) asks the engine:
// may a client from the internet open TCP `port` on this public (Elastic or
// auto-assigned) address of an interface, and get the replies back? The
// same walk `localnet why internet <public-ip>:<port>` prints: the VPC's
// internet gateway, the subnet's NACL in and (on the client's ephemeral
// ports) out, the interface's security groups, the subnet's route back to
// the internet gateway. The host client stands for "the internet" (0.0.0.0),
// as for internet-facing load balancers, so only rules for 0.0.0.0/0 admit it.
import type { NetworkModel } from '../model/model.ts';
import { verdictOf, type PathVerdict } from './load-balancer-verdicts.ts';
import { INTERNET, Walk } from './walk.ts';

const OK: PathVerdict = { allowed: true };

export function publicAddressVerdict(model: NetworkModel, eniId: string, publicIp: string, port: number): PathVerdict {
  const eni = model.enis.get(eniId);
  if (!eni) return OK;
  const w = new Walk(model, 'tcp', port);
  if (w.fromInternet(INTERNET, eni, undefined, publicIp)) w.returnPath(w.eniHopOf(eni), { kind: 'internet', Component: { Id: INTERNET }, note: 'the internet' });
  return w.blocks.length ? verdictOf(w.blocks[0]) : OK;
}
