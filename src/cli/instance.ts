// localnet instance map|ports: which local process answers an instance's
// ports. `map` writes the same `localnet:port:<port>` tags a user could write
// (CreateTags / DeleteTags through the running localnet's EC2 API), so a
// mapping survives restarts and shows in DescribeTags; `ports` lists them
// with the public address sockets that carry them (the health document).
//
// The EC2 calls are plain Query requests (form body, XML answer) with a
// SigV4-shaped Authorization header naming the account's access key and the
// region: localnet reads identity from it and verifies no signature, so the
// CLI needs no AWS SDK.
import type { Config } from '../config.ts';
import { parseWorkloadValue, WORKLOAD_TAG_PREFIX } from '../records/workloads.ts';
import { endpointOf, health, localnetRequest } from './endpoint.ts';

const USAGE = `Usage:
  localnet instance map i-... PORT=HOST:PORT [PORT=HOST:PORT ...]   map the instance's ports to local processes
  localnet instance map i-... PORT=            (or --remove PORT)   remove a mapping
  localnet instance ports i-...                                      list the mappings and the public addresses serving them
Options: --region REGION (default AWS_REGION, AWS_DEFAULT_REGION or us-east-1); the account is AWS_ACCESS_KEY_ID when it is 12 digits.`;

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

interface Ec2Call {
  endpoint: string;
  accessKeyId: string;
  region: string;
}

function xmlText(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** One EC2 Query call; the XML answer, or an Error carrying the AWS code and message. */
async function ec2(call: Ec2Call, action: string, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2016-11-15', ...params }).toString();
  const date = new Date().toISOString().replace(/[-:]/g, '').slice(0, 8);
  const res = await localnetRequest(`${call.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=${call.accessKeyId}/${date}/${call.region}/ec2/aws4_request, SignedHeaders=content-type;host, Signature=0`,
    },
    body,
  });
  const text = res.text();
  if (!res.ok) throw new Error(`${xmlText(text, 'Code') ?? res.status}: ${unescapeXml(xmlText(text, 'Message') ?? res.statusText)}`);
  return text;
}

/** The instance's tags by key (DescribeTags); an unknown instance is an error (DescribeInstances). */
async function instanceTags(call: Ec2Call, id: string): Promise<Map<string, string>> {
  await ec2(call, 'DescribeInstances', { 'InstanceId.1': id });
  const xml = await ec2(call, 'DescribeTags', { 'Filter.1.Name': 'resource-id', 'Filter.1.Value.1': id });
  const tags = new Map<string, string>();
  for (const item of xml.split('<item>').slice(1)) {
    const key = xmlText(item, 'key');
    if (key !== undefined) tags.set(unescapeXml(key), unescapeXml(xmlText(item, 'value') ?? ''));
  }
  return tags;
}

function validPort(s: string): number | undefined {
  return /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535 ? Number(s) : undefined;
}

export async function instanceCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const positional: string[] = [];
  const removals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--region') region = rest[++i] ?? region;
    else if (rest[i] === '--remove') removals.push(rest[++i] ?? '');
    else positional.push(rest[i]);
  }
  const [id, ...specs] = positional;
  if ((sub !== 'map' && sub !== 'ports') || !id) {
    console.error(USAGE);
    return 2;
  }
  if (!INSTANCE_ID.test(id)) {
    console.error(`localnet instance: '${id}' is not an instance id (i-...)`);
    return 2;
  }
  const endpoint = endpointOf(config);
  if (!(await health(endpoint))) {
    console.error(`localnet is not running at ${endpoint} (start it with: npm start, or localnet start)`);
    return 1;
  }
  const accessKeyId = /^\d{12}$/.test(process.env.AWS_ACCESS_KEY_ID ?? '') ? process.env.AWS_ACCESS_KEY_ID! : 'test';
  const call: Ec2Call = { endpoint, accessKeyId, region };
  try {
    if (sub === 'map') return await map(call, id, specs, removals);
    return await ports(call, id);
  } catch (err) {
    console.error(`localnet instance: ${(err as Error).message}`);
    return 1;
  }
}

async function map(call: Ec2Call, id: string, specs: string[], removals: string[]): Promise<number> {
  const set: [number, string][] = [];
  const remove: number[] = [];
  for (const r of removals) {
    const port = validPort(r);
    if (port === undefined) return usageError(`'${r}' is not a port (1-65535)`);
    remove.push(port);
  }
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const port = eq > 0 ? validPort(spec.slice(0, eq)) : undefined;
    if (port === undefined) return usageError(`'${spec}' is not PORT=HOST:PORT (for example 80=127.0.0.1:8080) or PORT= to remove`);
    const value = spec.slice(eq + 1);
    if (value === '') {
      remove.push(port);
      continue;
    }
    const target = parseWorkloadValue(value);
    if (target.kind === 'invalid') return usageError(target.reason);
    set.push([port, value]);
  }
  if (!set.length && !remove.length) return usageError('nothing to map: give PORT=HOST:PORT, PORT= or --remove PORT');
  await instanceTags(call, id);
  if (set.length) {
    const params: Record<string, string> = { 'ResourceId.1': id };
    set.forEach(([port, value], i) => {
      params[`Tag.${i + 1}.Key`] = `${WORKLOAD_TAG_PREFIX}${port}`;
      params[`Tag.${i + 1}.Value`] = value;
    });
    await ec2(call, 'CreateTags', params);
  }
  if (remove.length) {
    const params: Record<string, string> = { 'ResourceId.1': id };
    remove.forEach((port, i) => (params[`Tag.${i + 1}.Key`] = `${WORKLOAD_TAG_PREFIX}${port}`));
    await ec2(call, 'DeleteTags', params);
  }
  for (const [port, value] of set) console.log(`${id} port ${port} → ${value}`);
  for (const port of remove) console.log(`${id} port ${port} unmapped`);
  return 0;
}

async function ports(call: Ec2Call, id: string): Promise<number> {
  const tags = await instanceTags(call, id);
  const mapped = [...tags].filter(([k]) => k.startsWith(WORKLOAD_TAG_PREFIX)).map(([k, v]) => ({ port: Number(k.slice(WORKLOAD_TAG_PREFIX.length)), value: v }))
    .filter((m) => Number.isInteger(m.port)).sort((a, b) => a.port - b.port);
  if (!mapped.length) {
    console.log(`${id} maps no port (localnet instance map ${id} 80=127.0.0.1:8080)`);
    return 0;
  }
  const h = await health(call.endpoint);
  const sockets = (Array.isArray(h?.publicAddresses) ? h.publicAddresses : []) as { kind: string; address: string; port: number; boundPort: number; instanceId: string; blocked?: string }[];
  for (const m of mapped) {
    const target = parseWorkloadValue(m.value);
    console.log(`${id} port ${m.port} → ${m.value}${target.kind === 'invalid' ? `  (invalid: ${target.reason})` : ''}`);
    for (const s of sockets.filter((x) => x.instanceId === id && x.port === m.port)) {
      console.log(`  ${s.kind} ${s.address}:${s.boundPort}${s.boundPort !== s.port ? ` (port ${s.port} is privileged)` : ''}${s.blocked ? `  blocked: ${s.blocked}` : ''}`);
    }
  }
  return 0;
}

function usageError(message: string): number {
  console.error(`localnet instance: ${message}\n\n${USAGE}`);
  return 2;
}
