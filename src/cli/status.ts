// localnet status: what runs where.
import type { Config } from '../config.ts';
import { endpointOf, health } from './endpoint.ts';

export async function statusCommand(config: Config): Promise<number> {
  const endpoint = endpointOf(config);
  const h = await health(endpoint);
  if (!h) {
    console.log(`localnet is not running at ${endpoint} (start it with: npm start, or localnet start)`);
    console.log(`data dir: ${config.dataDir}`);
    return 1;
  }
  console.log(`localnet ${h.version} running since ${h.startedAt}`);
  console.log(`  endpoint  ${h.endpoint}`);
  console.log(`  data dir  ${h.dataDir}`);
  console.log('  ports');
  const ports = Object.entries(h.ports as Record<string, unknown>);
  const services = Object.entries(h.services as Record<string, { operations: number; of: number }>);
  const width = Math.max(...[...ports, ...services].map(([name]) => name.length)) + 2;
  for (const [name, port] of ports) console.log(`    ${name.padEnd(width)}${typeof port === 'object' ? JSON.stringify(port) : port}`);
  const views = (h.dns?.views ?? []) as { view: string; address: string; port: number; resolverIp?: string }[];
  if (views.length) {
    console.log('  DNS views (dig @ADDRESS -p PORT NAME)');
    for (const v of views) {
      const what = v.view === 'public' ? 'public (the internet)' : `${v.view} (its resolver ${v.resolverIp ?? 'VPC+2'})`;
      console.log(`    ${`${v.address}:${v.port}`.padEnd(24)}${what}`);
    }
  }
  const endpoints = (h.endpoints ?? []) as { endpoint: string; protocol: string; port: number; address: string; boundPort: number; forwardsTo: string; blocked?: string }[];
  if (endpoints.length) {
    console.log('  endpoint interfaces (PrivateLink: each forwards to the service\'s NLB)');
    for (const e of endpoints) console.log(`    vpce ${e.endpoint} ${e.protocol} ${e.port} → ${e.address}:${e.boundPort}  (to ${e.forwardsTo})${e.blocked ? `  blocked: ${e.blocked}` : ''}`);
  }
  const pub = (h.publicAddresses ?? []) as { kind: string; address: string; protocol: string; port: number; boundPort: number; instanceId: string; forwardsTo: string; blocked?: string }[];
  if (h.publicAddressBlock === 'aws') console.log('  public addresses: AWS-looking (LOCALNET_PUBLIC_ADDRESSES=aws), nothing binds them');
  else if (pub.length) {
    console.log(`  public addresses (${h.publicAddressBlock}; each relays to the instance's workload)`);
    for (const p of pub) console.log(`    ${p.kind} ${p.address} ${p.protocol} ${p.port} → ${p.instanceId} ${p.forwardsTo}${p.boundPort !== p.port ? `  (bound on port ${p.boundPort}: ${p.port} is privileged)` : ''}${p.blocked ? `  blocked: ${p.blocked}` : ''}`);
  }
  const acme = h.acme as { directory: string; certificates: number; revoked: number } | undefined;
  if (acme) {
    console.log(`  ACME      ${acme.directory}   (${acme.certificates} certificate${acme.certificates === 1 ? '' : 's'} issued, ${acme.revoked} revoked: ${h.endpoint}/_localnet/acme/certificates)`);
    console.log(`            certbot --server ${acme.directory} (REQUESTS_CA_BUNDLE=${h.ca?.root ?? '<root.pem>'}; lego: LEGO_CA_CERTIFICATES)`);
  }
  console.log('  services (operations emulated / in the AWS model)');
  for (const [name, s] of services) console.log(`    ${name.padEnd(width)}${s.operations} / ${s.of}`);
  return 0;
}
