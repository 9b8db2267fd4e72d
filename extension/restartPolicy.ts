// When the helper dies: restart it with a growing delay, but give up after too many crashes in a
// short time, so a helper that cannot start does not spin forever. Pure, for unit tests.

export interface RestartDecision {
  restart: boolean;
  /** How long to wait before restarting. */
  delayMs: number;
  /** Crashes counted in the current window, this one included. */
  crashes: number;
}

export class RestartPolicy {
  private crashTimes: number[] = [];

  constructor(
    readonly maxRestarts = 5,
    readonly windowMs = 3 * 60_000,
    readonly baseDelayMs = 500,
    readonly maxDelayMs = 8_000,
  ) {}

  onCrash(now: number): RestartDecision {
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < this.windowMs), now];
    const crashes = this.crashTimes.length;
    const delayMs = Math.min(this.baseDelayMs * 2 ** (crashes - 1), this.maxDelayMs);
    return { restart: crashes <= this.maxRestarts, delayMs, crashes };
  }

  /** A deliberate restart (the user asked) starts a fresh count. */
  reset(): void {
    this.crashTimes = [];
  }
}
