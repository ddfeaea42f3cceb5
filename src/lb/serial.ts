// How a data plane applies changes: one reconcile at a time, and calls that
// arrive while one waits to start share it (a burst of writes costs one more
// pass, not one each). Shared by the load balancer, PrivateLink and public
// address data planes.
export class Serial {
  private running: Promise<void> = Promise.resolve();
  private pending = false;

  constructor(private readonly work: () => Promise<void>) {}

  /** Runs `work` after the current run; resolves when the run that covers this call has ended. */
  request(): Promise<void> {
    if (this.pending) return this.running;
    this.pending = true;
    this.running = this.running.then(async () => {
      this.pending = false;
      await this.work();
    });
    return this.running;
  }

  /** Resolves once no run is in progress. */
  idle(): Promise<void> {
    return this.running;
  }
}
