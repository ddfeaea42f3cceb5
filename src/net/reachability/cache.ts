// The snapshot kept between questions: built on first use after a change and
// dropped when the state changes (server.ts calls invalidate on every
// Localnet 'change' event), so `localnet why` never scans the store twice
// for the same state.
import { buildSnapshot, type Snapshot } from './snapshot.ts';
import type { ReachabilityData } from './types.ts';

export class ReachabilityCache {
  private snapshot?: Snapshot;
  /** How long the last rebuild took (ms), for status and the benchmark. */
  lastBuildMs = 0;

  constructor(private readonly load: () => ReachabilityData) {}

  get(): Snapshot {
    if (!this.snapshot) {
      const t = performance.now();
      this.snapshot = buildSnapshot(this.load());
      this.lastBuildMs = performance.now() - t;
    }
    return this.snapshot;
  }

  invalidate(): void {
    this.snapshot = undefined;
  }
}
