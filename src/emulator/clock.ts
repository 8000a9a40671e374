/**
 * A workspace's clock: real time plus an offset, or frozen at an instant. Tests set and advance
 * it through the control API to cross midnights and search delays without waiting.
 *
 * @example
 * const clock = new WorkspaceClock();
 * clock.set(1_577_869_200, { frozen: true });
 * clock.advance(60);
 * clock.now(); // 1577869260
 */
export class WorkspaceClock {
  private offsetMs = 0;
  private frozenAtMs: number | null = null;

  /** Current time in milliseconds. */
  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  /** Current time in unix seconds, as Intercom's timestamps are. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Sets the time; frozen clocks stand still until advanced or unfrozen. */
  set(unixSeconds: number, options: { frozen?: boolean } = {}): void {
    const targetMs = unixSeconds * 1000;
    if (options.frozen === true) {
      this.frozenAtMs = targetMs;
    } else {
      this.frozenAtMs = null;
      this.offsetMs = targetMs - Date.now();
    }
  }

  /** Moves the time forward (or back, with a negative number) by `seconds`. */
  advance(seconds: number): void {
    if (this.frozenAtMs !== null) this.frozenAtMs += seconds * 1000;
    else this.offsetMs += seconds * 1000;
  }

  /** Lets a frozen clock run again from where it stands. */
  unfreeze(): void {
    if (this.frozenAtMs === null) return;
    this.offsetMs = this.frozenAtMs - Date.now();
    this.frozenAtMs = null;
  }

  /** Whether the clock stands still. */
  get frozen(): boolean {
    return this.frozenAtMs !== null;
  }
}
