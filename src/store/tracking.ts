// Which store kinds a piece of code wrote or read, so that a view built from
// the store (the DNS snapshot, the load balancer data plane) is rebuilt only
// after a write to a kind it was built from. Both are thin wrappers over a
// Store; nothing here knows any kind by name.
//
// Why this is sound: a view is a function of the store. Building it reads
// some kinds; as long as no write touches one of them, building it again
// would read the same values, take the same branches and read the same
// kinds, so it would come out the same.
import type { Store } from './store.ts';

/** The kinds one change wrote; undefined when unknown (a reset, a writer that does not say): anything may have changed. */
export type WrittenKinds = ReadonlySet<string> | undefined;

/** A store whose put and delete also note the kind they wrote in `written`. */
export function recordWrites(store: Store, written: Set<string>): Store {
  return {
    transaction: (fn) => store.transaction(fn),
    get: (kind, scope, id) => store.get(kind, scope, id),
    list: (kind, scope) => store.list(kind, scope),
    listAll: (kind) => store.listAll(kind),
    listWhere: (kind, scope, field, value) => store.listWhere(kind, scope, field, value),
    revisions: (kind) => store.revisions(kind),
    put: (kind, scope, id, value) => {
      written.add(kind);
      store.put(kind, scope, id, value);
    },
    delete: (kind, scope, id) => {
      const deleted = store.delete(kind, scope, id);
      if (deleted) written.add(kind);
      return deleted;
    },
    clear: () => store.clear(),
    close: () => store.close(),
  };
}

/**
 * The kinds a consumer read through `store` since the last restart(). Give
 * the consumer `store`; call restart() just before it builds its view again,
 * and ask affects() whether a change needs a rebuild at all.
 */
export class ReadTracker {
  readonly store: Store;
  private read = new Set<string>();
  /** False until a build completed since the last restart: then every change needs a rebuild. */
  private known = false;

  constructor(inner: Store) {
    const note = (kind: string) => void this.read.add(kind);
    this.store = {
      transaction: (fn) => inner.transaction(fn),
      get: (kind, scope, id) => (note(kind), inner.get(kind, scope, id)),
      list: (kind, scope) => (note(kind), inner.list(kind, scope)),
      listAll: (kind) => (note(kind), inner.listAll(kind)),
      listWhere: (kind, scope, field, value) => (note(kind), inner.listWhere(kind, scope, field, value)),
      revisions: (kind) => (note(kind), inner.revisions(kind)),
      put: (kind, scope, id, value) => inner.put(kind, scope, id, value),
      delete: (kind, scope, id) => inner.delete(kind, scope, id),
      clear: () => inner.clear(),
      close: () => inner.close(),
    };
  }

  /** Forgets what was read: the consumer is about to build its view again and reads anew. */
  restart(): void {
    this.read = new Set();
    this.known = false;
  }

  /** Marks the reads since restart() as the whole of what the view depends on (its build completed). */
  complete(): void {
    this.known = true;
  }

  /** Whether a change that wrote `written` may change the view: it wrote a kind the view was built from (or is not known). */
  affects(written: WrittenKinds): boolean {
    if (!written || !this.known) return true;
    for (const kind of written) if (this.read.has(kind)) return true;
    return false;
  }
}
