/**
 * Failed logins counted per address, beside the per-address-and-name limit of the login route:
 * one address trying many names (15 in the probe of issue 17) was never limited. Once an address
 * has failed `max` times within the window, every login from it waits for the window to end, and
 * no more failures are written to the audit log meanwhile. Held in memory: one process serves.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { since: number; count: number }>();

  constructor(
    readonly max: number,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this address may try again, or 0 when it may now. */
  waitFor(address: string): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    const left = entry.since + this.windowMs - this.now();
    if (left <= 0) {
      this.failures.delete(address);
      return 0;
    }
    return entry.count >= this.max ? left : 0;
  }

  recordFailure(address: string): void {
    const now = this.now();
    const entry = this.failures.get(address);
    if (!entry || entry.since + this.windowMs <= now) this.failures.set(address, { since: now, count: 1 });
    else entry.count++;
    if (this.failures.size > 10_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [address, entry] of this.failures) if (entry.since + this.windowMs <= now) this.failures.delete(address);
  }
}
