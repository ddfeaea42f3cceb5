// The Store: every resource localnet acknowledges, keyed by service kind,
// account and region exactly as AWS partitions it. Services reach state only
// through this interface, so another backend (PostgreSQL for teams) can
// replace SQLite without touching them.

export interface Scope {
  account: string;
  /** AWS region, or 'global' for global services (Route 53). */
  region: string;
}

export interface Store {
  /** Runs fn in one transaction: all of its writes land, or none do (also when fn throws). */
  transaction<T>(fn: () => T): T;
  get<T>(kind: string, scope: Scope, id: string): T | undefined;
  /** Every resource of a kind in a scope, oldest first. */
  list<T>(kind: string, scope: Scope): T[];
  /** Every resource of a kind in every scope (for cross-account views such as peering), oldest first. */
  listAll<T>(kind: string): { scope: Scope; value: T }[];
  /**
   * The resources of a kind in a scope whose top-level member `field` is the
   * string `value`, oldest first: list(kind, scope).filter((r) => r[field] ===
   * value), without reading the others. Answered from an index for the
   * members in INDEXED_FIELDS (the references most lookups follow), by a scan
   * for any other. `field` is a member name (letters, digits, _).
   */
  listWhere<T>(kind: string, scope: Scope, field: string, value: string): T[];
  /**
   * Every resource of a kind in every scope as its id and revision, without
   * its body, oldest first. A resource's revision changes whenever it is put,
   * so a reader may keep what it derived from a body while the revision
   * stays the same, and read only the resources whose revision moved.
   */
  revisions(kind: string): { scope: Scope; id: string; rev: number }[];
  put<T>(kind: string, scope: Scope, id: string, value: T): void;
  delete(kind: string, scope: Scope, id: string): boolean;
  /** Wipes every resource (localnet reset). */
  clear(): void;
  close(): void;
}

/** The members listWhere answers from an index: which VPC, subnet, security group a resource belongs to. */
export const INDEXED_FIELDS = ['VpcId', 'SubnetId', 'GroupId'] as const;
