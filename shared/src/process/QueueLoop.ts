/** How a queue in a table is worked: what to claim, how to handle one item, how wide and how often. */
export interface QueueLoopOptions<T> {
  /** Claims up to `limit` due items (with a lease, so an item a stopped process held is claimed again later). */
  readonly claim: (limit: number) => Promise<readonly T[]>;
  /** Handles one claimed item; it records its own outcome and never throws for an item that failed. */
  readonly handle: (item: T) => Promise<void>;
  /** Items in flight at once, per process. */
  readonly concurrency: number;
  /** How often the loop looks for due items when nothing woke it. */
  readonly pollMs: number;
  /** Told when a claim failed (the database away): the loop tries again at the next poll. */
  readonly onClaimError: (error: unknown) => void;
}

/**
 * The loop of a background worker over a queue table (webhook deliveries, mail notifications): claims what is due,
 * at most `concurrency` items in flight, looks again at once after a full batch, a finished item or a `wake()`
 * (a change was just committed), and otherwise every `pollMs`. It holds no request and no connection while an item
 * is handled, so a slow receiver slows only this loop.
 */
export class QueueLoop<T> {
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling: Promise<void> | undefined;
  private again = false;
  private readonly active = new Set<Promise<void>>();

  constructor(private readonly options: QueueLoopOptions<T>) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Looks for due items now. */
  wake(): void {
    if (!this.running) return;
    if (this.polling) this.again = true;
    else this.schedule(0);
  }

  /** Stops claiming and waits for the items in flight. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.all([...this.active]);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (!this.running) return;
    let claimed: readonly T[] = [];
    const room = this.options.concurrency - this.inFlight;
    if (room > 0) {
      try {
        claimed = await this.options.claim(room);
      } catch (error) {
        this.options.onClaimError(error);
      }
    }
    for (const item of claimed) this.track(this.options.handle(item));
    if (!this.running) return;
    // A full batch or a wake-up during the poll: more may be due at once.
    const more = this.again || (room > 0 && claimed.length === room);
    this.again = false;
    this.schedule(more ? 0 : this.options.pollMs);
  }

  private track(item: Promise<void>): void {
    this.inFlight += 1;
    this.active.add(item);
    void item.finally(() => {
      this.inFlight -= 1;
      this.active.delete(item);
      // A slot is free: items that waited for this one (the same entity's later events) may be due.
      this.wake();
    });
  }
}
