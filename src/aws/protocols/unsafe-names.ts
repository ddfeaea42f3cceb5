// Names a request may never use as a member, element, map key or operation:
// written as an object key they reach JavaScript's prototype machinery
// (`x.__proto__.DryRun = ...` sets DryRun on every object in the process).
// Every protocol refuses them with its own 400; the trees the parsers build
// have no prototype besides, so a missed check still cannot pollute.
export const UNSAFE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isUnsafeName(name: string): boolean {
  return UNSAFE_NAMES.has(name);
}

/** `Object.hasOwn` for tables keyed by request input (operations, handlers): `constructor` is not an operation. */
export function ownEntry<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
