// Route 53 Domains, reduced to what matters locally: which name servers a
// domain is delegated to. RegisterDomain records the domain and, as Route 53
// does, creates a public hosted zone for it unless the account already has
// one (the oldest such zone is then the one delegated). UpdateDomainNameservers
// moves the delegation; the rules live in ../route53/delegation.ts.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { resolveDelegations } from '../route53/delegation.ts';
import { createZoneRecord } from '../route53/hosted-zones.ts';
import { decodeName, nameProblem } from '../route53/names.ts';
import { globalScope, KIND, type HostedZone } from '../route53/types.ts';
import { KIND as KIND_ALL } from '../../records/kinds.ts';
import type { Domain } from '../../records/route53.ts';

export const DOMAIN_KIND = KIND_ALL.domain;
export type { Domain };


function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInput', message, 400);
}

function parseDomainName(raw: string): string {
  const name = decodeName(raw);
  if (nameProblem(name) || !name.includes('.') || !/^[a-z0-9.-]+$/.test(name)) throw invalidInput(`Domain name ${raw} is invalid.`);
  return name;
}

function mustDomain(env: HandlerEnv, raw: string): Domain {
  const name = parseDomainName(raw);
  const d = env.store.get<Domain>(DOMAIN_KIND, globalScope(env.ctx.account), name);
  if (!d) throw invalidInput(`Domain ${name} not found in account ${env.ctx.account}.`);
  return d;
}

function publicZones(env: HandlerEnv): { zone: HostedZone; account: string }[] {
  return env.store
    .listAll<HostedZone>(KIND.zone)
    .filter((z) => !z.value.PrivateZone)
    .map((z) => ({ zone: z.value, account: z.scope.account }));
}

/** The zone the world sees for a domain under the delegation rules, if any. */
function delegatedZone(env: HandlerEnv, d: Domain): HostedZone | undefined {
  const zones = publicZones(env).filter((z) => z.zone.Name === d.DomainName);
  const map = resolveDelegations(
    zones.map(({ zone }) => ({ id: zone.Id, name: zone.Name, nameServers: zone.NameServers })),
    [{ name: d.DomainName, nameServers: d.Nameservers?.map((n) => n.Name), delegatedZoneId: d.DelegatedZoneId }],
  );
  const id = map.get(d.DomainName);
  return zones.find((z) => z.zone.Id === id)?.zone;
}

export function registerDomain(
  input: { DomainName: string; DurationInYears: number; AutoRenew?: boolean; AdminContact: Record<string, unknown>; RegistrantContact: Record<string, unknown>; TechContact: Record<string, unknown>; PrivacyProtectAdminContact?: boolean; PrivacyProtectRegistrantContact?: boolean; PrivacyProtectTechContact?: boolean },
  env: HandlerEnv,
) {
  const name = parseDomainName(input.DomainName);
  if (input.DurationInYears < 1 || input.DurationInYears > 10) throw invalidInput(`DurationInYears must be between 1 and 10, got ${input.DurationInYears}.`);
  if (env.store.listAll<Domain>(DOMAIN_KIND).some((d) => d.value.DomainName === name)) throw new AwsError('DomainLimitExceeded', `The domain ${name} is not available: it is already registered.`, 400);
  const operationId = randomUUID();
  const account = env.ctx.account;
  // Route 53 creates a hosted zone for a domain registered through it; an existing zone of the account is reused.
  if (!publicZones(env).some((z) => z.account === account && z.zone.Name === name)) {
    createZoneRecord(env, account, { name, callerReference: `RegisterDomain-${operationId}`, comment: 'HostedZone created by Route53 Registrar' });
  }
  const now = new Date();
  const expires = new Date(now);
  expires.setUTCFullYear(expires.getUTCFullYear() + input.DurationInYears);
  const domain: Domain = {
    DomainName: name,
    AutoRenew: input.AutoRenew ?? true,
    CreationDate: now.toISOString(),
    UpdatedDate: now.toISOString(),
    ExpirationDate: expires.toISOString(),
    AdminContact: input.AdminContact,
    RegistrantContact: input.RegistrantContact,
    TechContact: input.TechContact,
    AdminPrivacy: input.PrivacyProtectAdminContact ?? true,
    RegistrantPrivacy: input.PrivacyProtectRegistrantContact ?? true,
    TechPrivacy: input.PrivacyProtectTechContact ?? true,
  };
  env.store.put(DOMAIN_KIND, globalScope(account), name, domain);
  return { OperationId: operationId };
}

export function updateDomainNameservers(input: { DomainName: string; Nameservers: { Name: string; GlueIps?: string[] }[] }, env: HandlerEnv) {
  const domain = mustDomain(env, input.DomainName);
  if (input.Nameservers.length === 0 || input.Nameservers.length > 6) throw invalidInput('Between 1 and 6 name servers are required.');
  const want = input.Nameservers.map((n) => n.Name.toLowerCase().replace(/\.$/, '')).sort().join(' ');
  const match = publicZones(env).find((z) => z.zone.Name === domain.DomainName && [...z.zone.NameServers].sort().join(' ') === want);
  domain.Nameservers = input.Nameservers.map((n) => ({ Name: n.Name.replace(/\.$/, ''), GlueIps: n.GlueIps }));
  domain.DelegatedZoneId = match?.zone.Id;
  domain.UpdatedDate = new Date().toISOString();
  env.store.put(DOMAIN_KIND, globalScope(env.ctx.account), domain.DomainName, domain);
  return { OperationId: randomUUID() };
}

export function getDomainDetail(input: { DomainName: string }, env: HandlerEnv) {
  const d = mustDomain(env, input.DomainName);
  const zone = delegatedZone(env, d);
  const nameservers = zone ? zone.NameServers.map((n) => ({ Name: n })) : (d.Nameservers ?? []);
  return {
    DomainName: d.DomainName,
    Nameservers: nameservers,
    AutoRenew: d.AutoRenew,
    AdminContact: d.AdminContact,
    RegistrantContact: d.RegistrantContact,
    TechContact: d.TechContact,
    AdminPrivacy: d.AdminPrivacy,
    RegistrantPrivacy: d.RegistrantPrivacy,
    TechPrivacy: d.TechPrivacy,
    RegistrarName: 'Amazon Registrar, Inc.',
    WhoIsServer: 'whois.registrar.amazon.com',
    RegistrarUrl: 'https://registrar.amazon.com',
    CreationDate: new Date(d.CreationDate),
    UpdatedDate: new Date(d.UpdatedDate),
    ExpirationDate: new Date(d.ExpirationDate),
    StatusList: ['clientTransferProhibited'],
  };
}

export function listDomains(input: { Marker?: string; MaxItems?: number }, env: HandlerEnv) {
  const all = env.store.list<Domain>(DOMAIN_KIND, globalScope(env.ctx.account)).sort((a, b) => (a.DomainName < b.DomainName ? -1 : 1));
  const max = Math.min(input.MaxItems ?? 20, 100);
  const start = input.Marker ? Number(input.Marker) : 0;
  if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalidInput(`Invalid marker ${input.Marker}.`);
  const page = all.slice(start, start + max);
  return {
    Domains: page.map((d) => ({ DomainName: d.DomainName, AutoRenew: d.AutoRenew, TransferLock: true, Expiry: new Date(d.ExpirationDate) })),
    NextPageMarker: start + max < all.length ? String(start + max) : undefined,
  };
}

export const domainHandlers = {
  RegisterDomain: registerDomain,
  UpdateDomainNameservers: updateDomainNameservers,
  GetDomainDetail: getDomainDetail,
  ListDomains: listDomains,
} satisfies Handlers;
