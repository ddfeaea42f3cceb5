// Route 53 values (ResourceRecords[].Value, presentation format) turned into
// the record data dns-packet encodes. Done once per index build, so a bad
// value is reported then instead of failing a query later.
import { isIPv4, isIPv6 } from 'node:net';
import dnsPacket from 'dns-packet';

/** Splits a presentation value into tokens; quoted strings keep their spaces and decode Route 53's escapes (\" \\ and octal \ddd). */
export function tokenize(value: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= value.length) throw new Error(`unterminated quoted string in ${JSON.stringify(value)}`);
        const d = value[i];
        if (d === '"') { i++; break; }
        if (d === '\\' && i + 1 < value.length) {
          const oct = value.slice(i + 1, i + 4);
          if (/^[0-7]{3}$/.test(oct)) { text += String.fromCharCode(parseInt(oct, 8)); i += 4; continue; }
          text += value[i + 1];
          i += 2;
          continue;
        }
        text += d;
        i++;
      }
      out.push({ text, quoted: true });
      continue;
    }
    let j = i;
    while (j < value.length && value[j] !== ' ' && value[j] !== '\t') j++;
    out.push({ text: value.slice(i, j), quoted: false });
    i = j;
  }
  return out;
}

/** A domain name inside record data: absolute, without the trailing dot ('.' stays the root). */
function domain(text: string | undefined): string {
  if (text === undefined || text === '') throw new Error('missing domain name');
  if (text === '.') return '.';
  const n = text.endsWith('.') ? text.slice(0, -1) : text;
  for (const label of n.split('.')) {
    if (label.length === 0 || Buffer.byteLength(label) > 63) throw new Error(`invalid domain name ${text}`);
  }
  return n;
}

function uint(text: string | undefined, max: number, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new Error(`invalid ${what}: ${text}`);
  const n = Number(text);
  if (n > max) throw new Error(`${what} out of range: ${text}`);
  return n;
}

/** TXT character-strings: each at most 255 bytes, longer strings are split as Route 53 requires anyway. */
function characterStrings(value: string): Buffer[] {
  const out: Buffer[] = [];
  for (const t of tokenize(value)) {
    const b = Buffer.from(t.text, 'latin1');
    if (b.length === 0) out.push(b);
    for (let i = 0; i < b.length; i += 255) out.push(b.subarray(i, i + 255));
  }
  return out.length ? out : [Buffer.alloc(0)];
}

/** The dns-packet `data` for one value of a record set of `type`; throws on a value that cannot be served. */
export function recordData(type: string, value: string): unknown {
  const v = value.trim();
  // Addresses are most records: check them before any tokenizing.
  if (type === 'A') {
    if (!isIPv4(v)) throw new Error(`invalid IPv4 address ${v}`);
    return v;
  }
  if (type === 'AAAA') {
    if (!isIPv6(v)) throw new Error(`invalid IPv6 address ${v}`);
    return v;
  }
  const t = tokenize(v).map((x) => x.text);
  switch (type) {
    case 'CNAME': case 'NS': case 'PTR':
      return domain(t[0]);
    case 'MX':
      return { preference: uint(t[0], 0xffff, 'MX preference'), exchange: domain(t[1]) };
    case 'TXT':
      return characterStrings(v);
    case 'SPF': {
      // dns-packet has no SPF codec; SPF rdata is TXT rdata, so encode it as
      // TXT and hand the bytes (without TXT's length prefix) to the raw codec.
      const wire: Buffer = (dnsPacket as unknown as { txt: { encode(d: Buffer[]): Buffer } }).txt.encode(characterStrings(v));
      return wire.subarray(2);
    }
    case 'SOA':
      return {
        mname: domain(t[0]), rname: domain(t[1]),
        serial: uint(t[2], 0xffffffff, 'SOA serial'), refresh: uint(t[3], 0xffffffff, 'SOA refresh'),
        retry: uint(t[4], 0xffffffff, 'SOA retry'), expire: uint(t[5], 0xffffffff, 'SOA expire'),
        minimum: uint(t[6], 0xffffffff, 'SOA minimum'),
      };
    case 'SRV':
      return { priority: uint(t[0], 0xffff, 'SRV priority'), weight: uint(t[1], 0xffff, 'SRV weight'), port: uint(t[2], 0xffff, 'SRV port'), target: domain(t[3]) };
    case 'CAA': {
      const tag = t[1];
      if (!tag || !/^[a-z0-9]+$/i.test(tag)) throw new Error(`invalid CAA tag ${tag}`);
      return { flags: uint(t[0], 255, 'CAA flags'), tag, value: t[2] ?? '' };
    }
    case 'NAPTR':
      if (t.length !== 6) throw new Error('NAPTR needs order preference flags services regexp replacement');
      return { order: uint(t[0], 0xffff, 'NAPTR order'), preference: uint(t[1], 0xffff, 'NAPTR preference'), flags: t[2], services: t[3], regexp: t[4], replacement: domain(t[5]) };
    case 'DS':
      if (!t[3] || !/^([0-9a-f]{2})+$/i.test(t[3])) throw new Error(`invalid DS digest ${t[3]}`);
      return { keyTag: uint(t[0], 0xffff, 'DS key tag'), algorithm: uint(t[1], 255, 'DS algorithm'), digestType: uint(t[2], 255, 'DS digest type'), digest: Buffer.from(t[3], 'hex') };
    default:
      throw new Error(`record type ${type} is not served`);
  }
}
