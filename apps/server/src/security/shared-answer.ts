/**
 * One computation shared by every caller: while it runs, callers wait for the same promise; once
 * done, its answer serves everyone for `ttlMs`. For expensive public reads (system.checks scans
 * every candle), so a batch of 20 calls, or 20 clients at once, cost one run, not 20.
 */
export class SharedAnswer<T> {
  private inFlight: Promise<T> | null = null;
  private last: { at: number; value: T } | null = null;

  constructor(
    private readonly compute: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(): Promise<T> {
    const last = this.last;
    if (last && this.now() - last.at < this.ttlMs) return Promise.resolve(last.value);
    this.inFlight ??= this.compute()
      .then((value) => {
        this.last = { at: this.now(), value };
        return value;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}
