// The one network model of the running localnet: built on first use after a
// change and dropped when the state changes (server.ts calls invalidate on
// every committed change), so however many readers ask (`localnet why`, the
// load balancer data plane, the DNS views), the records are read once per
// state. Rebuilds are coalesced: many changes in a row cost one build, paid
// by the first reader that needs the model.
import { buildNetworkModel, type NetworkModel } from './model.ts';
import type { NetworkData } from './types.ts';

export class NetworkModelCache {
  private model?: NetworkModel;
  /** How long the last rebuild took (ms), for status and the benchmark. */
  lastBuildMs = 0;
  /** How many times the model was built (tests check that readers share one). */
  builds = 0;

  constructor(private readonly load: () => NetworkData) {}

  get(): NetworkModel {
    if (!this.model) {
      const t = performance.now();
      this.model = buildNetworkModel(this.load());
      this.lastBuildMs = performance.now() - t;
      this.builds++;
    }
    return this.model;
  }

  invalidate(): void {
    this.model = undefined;
  }
}
