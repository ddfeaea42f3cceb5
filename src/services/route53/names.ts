// DNS names as Route 53 handles them: accepted with or without the final dot,
// with \ooo octal escapes (\052 for *), stored lower-case and decoded, and
// returned absolute with every character outside a-z 0-9 - _ . escaped as
// \ooo (so a wildcard comes back as \052.example.com.). Ordering is by
// labels reversed (com.example.www), as ListResourceRecordSets and
// ListHostedZonesByName sort.

export type NameProblem = { code: string; text: string };

/** Decodes \ooo and \c escapes and lower-cases; no trailing dot in the result ('' is the root). */
export function decodeName(input: string): string {
  let s = input.trim();
  if (s.endsWith('.') && !s.endsWith('\\.')) s = s.slice(0, -1);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (c === '\\' && i + 1 < s.length) {
      out += s[++i];
    } else out += c;
  }
  return out.toLowerCase();
}

/** The problem with a decoded name, in Route 53's "FATAL problem" vocabulary, or undefined. */
export function nameProblem(name: string): NameProblem | undefined {
  if (name === '') return { code: 'DomainLabelEmpty', text: 'Domain label is empty' };
  const labels = name.split('.');
  if (labels.some((l) => l === '')) return { code: 'DomainLabelEmpty', text: 'Domain label is empty' };
  if (labels.some((l) => Buffer.byteLength(l) > 63)) return { code: 'DomainLabelTooLong', text: 'Domain label is too long' };
  if (labels.reduce((n, l) => n + Buffer.byteLength(l) + 1, 1) > 255) return { code: 'DomainNameTooLong', text: 'Domain name is too long' };
  return undefined;
}

/** Absolute presentation form with Route 53's escaping: `\052.example.com.` */
export function formatName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (/[a-z0-9\-_.]/.test(ch)) out += ch;
    else {
      for (const byte of Buffer.from(ch)) out += `\\${byte.toString(8).padStart(3, '0')}`;
    }
  }
  return `${out}.`;
}

/** Is name equal to or below apex (both decoded)? */
export function inZone(name: string, apex: string): boolean {
  return name === apex || name.endsWith(`.${apex}`);
}

/** Route 53's order: labels compared from the right (com, then example, then www). */
export function compareNames(a: string, b: string): number {
  const la = a.split('.').reverse();
  const lb = b.split('.').reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return la[i] < lb[i] ? -1 : 1;
  }
  return la.length - lb.length;
}

/** A wildcard is `*` as the whole leftmost label; `*` anywhere else is a literal character. */
export function isWildcard(name: string): boolean {
  return name === '*' || name.startsWith('*.');
}
