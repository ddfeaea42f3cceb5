// Domain name helpers shared by the index and the handlers. Names inside the
// DNS server are lower-case, absolute and written without the trailing dot
// (the root is ''), the same form the snapshot uses.

/** Lower-case, without a trailing dot; '.' (the root) becomes ''. */
export function normalizeName(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

/** The parent of a name ('' for a top-level name and for the root). */
export function parentName(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

/** True when name equals domain or lies below it (both normalized). */
export function isAtOrBelow(name: string, domain: string): boolean {
  if (domain === '') return true;
  return name === domain || (name.length > domain.length && name.endsWith(domain) && name.charCodeAt(name.length - domain.length - 1) === 46 /* . */);
}

/** Number of labels ('' has none). */
export function labelCount(name: string): number {
  if (name === '') return 0;
  let n = 1;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 46) n++;
  return n;
}

/**
 * Whether a query name can be written back on the wire unchanged: dns-packet
 * decodes labels as UTF-8 and joins them with '.', so a label holding a dot,
 * an empty label or a label that grew past 63 bytes (invalid UTF-8 turned
 * into U+FFFD) would be echoed as a different name. Such queries get FORMERR.
 */
export function isWireSafeName(name: string): boolean {
  if (name === '.' || name === '') return true;
  if (Buffer.byteLength(name) > 253) return false;
  for (const label of name.split('.')) {
    if (label.length === 0 || Buffer.byteLength(label) > 63) return false;
  }
  return true;
}
