/**
 * The one source of "now". Time-based behaviour (deletion after the waiting period, automatic rotation)
 * is applied lazily against this clock when state is read, never with timers, so tests and the admin
 * API can move time.
 */
export class Clock {
  private offsetMs = 0;

  /** Milliseconds since the epoch, as kmslite sees it. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(epochMs: number): void {
    this.offsetMs = epochMs - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offset(): number {
    return this.offsetMs;
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;
