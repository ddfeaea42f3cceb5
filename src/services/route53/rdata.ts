// Value syntax per record type, checked as Route 53 checks ResourceRecords:
// each problem becomes an InvalidChangeBatch message in Route 53's
// "Invalid Resource Record: 'FATAL problem: <Code> (<text>) encountered with '<value>''"
// form. Pure functions, table-tested.
import { isIP } from 'node:net';
import { decodeName, nameProblem } from './names.ts';

export const RECORD_TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'DS', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'TXT'] as const;

function fatal(code: string, text: string, value: string): string {
  return `Invalid Resource Record: 'FATAL problem: ${code} (${text}) encountered with '${value}''`;
}

/** Splits presentation-format rdata into fields, honouring "quoted strings"; undefined when quotes do not balance. */
export function fields(value: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] === ' ' || value[i] === '\t') {
      i++;
      continue;
    }
    if (value[i] === '"') {
      let j = i + 1;
      let s = '';
      while (j < value.length && value[j] !== '"') {
        if (value[j] === '\\' && j + 1 < value.length) {
          s += value.slice(j, j + 2);
          j += 2;
        } else s += value[j++];
      }
      if (j >= value.length) return undefined;
      out.push(s);
      i = j + 1;
    } else {
      let j = i;
      while (j < value.length && value[j] !== ' ' && value[j] !== '\t') {
        if (value[j] === '"') return undefined;
        j++;
      }
      out.push(value.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** Length of a character-string once \ooo and \c escapes are decoded. */
function decodedLength(s: string): number {
  return s.replace(/\\[0-9]{3}/g, 'x').replace(/\\./g, 'x').length;
}

function isUint(s: string | undefined, max: number): boolean {
  return s !== undefined && /^[0-9]+$/.test(s) && Number(s) <= max;
}

function domainProblem(s: string | undefined, value: string): string | undefined {
  if (s === undefined) return fatal('DomainNameMissing', 'Domain name is missing', value);
  if (s === '.') return undefined;
  const p = nameProblem(decodeName(s));
  return p ? fatal(p.code, p.text, value) : undefined;
}

type Check = (value: string) => string | undefined;

const CHECKS: Record<string, Check> = {
  A: (v) => (isIP(v) === 4 && !/(^|\.)0[0-9]/.test(v) ? undefined : fatal('ARRDATAIllegalIPv4Address', 'Value is not a valid IPv4 address', v)),
  AAAA: (v) => (isIP(v) === 6 && !v.includes('%') ? undefined : fatal('AAAARRDATAIllegalIPv6Address', 'Value is not a valid IPv6 address', v)),
  CNAME: (v) => {
    const f = fields(v);
    if (!f || f.length !== 1) return fatal('CNAMERRDATANotOneField', 'CNAME value must be a single domain name', v);
    return domainProblem(f[0], v);
  },
  NS: (v) => {
    const f = fields(v);
    if (!f || f.length !== 1) return fatal('NSRRDATANotOneField', 'NS value must be a single domain name', v);
    return domainProblem(f[0], v);
  },
  PTR: (v) => {
    const f = fields(v);
    if (!f || f.length !== 1) return fatal('PTRRDATANotOneField', 'PTR value must be a single domain name', v);
    return domainProblem(f[0], v);
  },
  MX: (v) => {
    const f = fields(v);
    if (!f || f.length !== 2) return fatal('MXRRDATANotTwoFields', 'MX record must have a preference and a mail server', v);
    if (!isUint(f[0], 65535)) return fatal('MXRRDATAIllegalPreference', 'MX preference must be an integer from 0 to 65535', v);
    return domainProblem(f[1], v);
  },
  SRV: (v) => {
    const f = fields(v);
    if (!f || f.length !== 4) return fatal('SRVRRDATANotFourFields', 'SRV record must have priority, weight, port and target', v);
    if (!isUint(f[0], 65535) || !isUint(f[1], 65535) || !isUint(f[2], 65535)) return fatal('SRVRRDATAIllegalNumber', 'SRV priority, weight and port must be integers from 0 to 65535', v);
    return domainProblem(f[3], v);
  },
  TXT: (v) => txt(v),
  SPF: (v) => txt(v),
  CAA: (v) => {
    const f = fields(v);
    if (!f || f.length !== 3) return fatal('CAARRDATANotThreeFields', 'CAA record must have flags, a tag and a value', v);
    if (!isUint(f[0], 255)) return fatal('CAARRDATAIllegalFlags', 'CAA flags must be an integer from 0 to 255', v);
    if (!/^[a-zA-Z0-9]+$/.test(f[1])) return fatal('CAARRDATAIllegalTag', 'CAA tag must be letters and digits', v);
    return undefined;
  },
  SOA: (v) => {
    const f = fields(v);
    if (!f || f.length !== 7) return fatal('SOARRDATANotSevenFields', 'SOA record must have 7 fields', v);
    if (!f.slice(2).every((n) => isUint(n, 4294967295))) return fatal('SOARRDATAIllegalNumber', 'SOA serial and timers must be unsigned 32-bit integers', v);
    return domainProblem(f[0], v) ?? domainProblem(f[1], v);
  },
  NAPTR: (v) => {
    const f = fields(v);
    if (!f || f.length !== 6) return fatal('NAPTRRDATANotSixFields', 'NAPTR record must have order, preference, flags, service, regexp and replacement', v);
    if (!isUint(f[0], 65535) || !isUint(f[1], 65535)) return fatal('NAPTRRDATAIllegalNumber', 'NAPTR order and preference must be integers from 0 to 65535', v);
    return domainProblem(f[5], v);
  },
  DS: (v) => {
    const f = fields(v);
    if (!f || f.length !== 4) return fatal('DSRRDATANotFourFields', 'DS record must have key tag, algorithm, digest type and digest', v);
    if (!isUint(f[0], 65535) || !isUint(f[1], 255) || !isUint(f[2], 255)) return fatal('DSRRDATAIllegalNumber', 'DS key tag, algorithm and digest type must be integers', v);
    if (!/^[0-9a-fA-F]+$/.test(f[3])) return fatal('DSRRDATAIllegalDigest', 'DS digest must be hexadecimal', v);
    return undefined;
  },
};

function txt(v: string): string | undefined {
  const f = fields(v);
  if (!f) return fatal('UnbalancedQuotes', 'Unbalanced quotes', v);
  if (f.some((s) => decodedLength(s) > 255)) return fatal('CharacterStringTooLong', 'Value is too long', v);
  return undefined;
}

/** Problems with the values of one record set (empty when they are fine). */
export function valueProblems(type: string, values: string[]): string[] {
  const check = CHECKS[type];
  const out: string[] = [];
  if (!check) return out;
  for (const v of values) {
    const p = check(v);
    if (p) out.push(p);
  }
  return out;
}
