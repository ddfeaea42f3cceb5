// A background checker that runs in rounds (ACM's DNS validation, EC2's
// private DNS name verification): one round at a time, the next `intervalMs`
// after the last ended, timers that never keep the process alive, and a stop
// that waits for the round in progress (which ends early: `closing`).
export abstract class Rounds {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  /** Set by stop(): a round in progress ends early (runOnce alone, unstarted, runs to the end). */
  protected closing = false;
  private current: Promise<void> | undefined;
  protected readonly intervalMs: number;

  /** `envName`: the LOCALNET_* variable that sets the pause between rounds (default 300 ms) when `intervalMs` is not given. */
  constructor(
    private readonly label: string,
    envName: string,
    intervalMs: number | undefined,
    private readonly log?: (line: string) => void,
  ) {
    const env = Number(process.env[envName]);
    this.intervalMs = intervalMs ?? (Number.isFinite(env) && env > 0 ? env : 300);
  }

  abstract runOnce(): Promise<void>;

  start(): void {
    this.stopped = false;
    this.closing = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.runOnce()
        .catch((err) => this.log?.(`${this.label}: ${(err as Error)?.stack ?? err}`))
        .finally(() => this.schedule(this.intervalMs));
    }, ms);
    this.timer.unref();
  }
}
