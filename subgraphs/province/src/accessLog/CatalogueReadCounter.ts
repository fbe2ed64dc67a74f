import { DAY_MS, chinaDay, chinaMidnight } from '../../../../shared/src';
import type { AccessLogRepository, CatalogueReadCount } from './AccessLogRepository';

/**
 * Public catalogue reads, counted per reader per China day in this process and added to `catalogue_reads` every
 * `everyMs` (default 10 s) and at shutdown: one statement per interval, however many requests, so counting costs
 * the catalogue's hot path nothing. A crash loses at most one interval's counts; they are figures, not the log.
 */
export class CatalogueReadCounter {
  private pending = new Map<string, { -readonly [K in keyof CatalogueReadCount]: CatalogueReadCount[K] }>();
  /** The China day requests are now counted under, and the instants it spans: worked out once a day, not per request. */
  private today = { day: '', from: 0, until: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repository: AccessLogRepository,
    private readonly onError: (error: unknown) => void,
    everyMs = 10_000,
  ) {
    this.timer = setInterval(() => void this.flush().catch(onError), everyMs);
    this.timer.unref();
  }

  /** One request of `reader` that read `records` public records. */
  count(reader: string, records: number, now = new Date()): void {
    this.add({ day: this.dayOf(now), reader, requests: 1, records });
  }

  /** Writes what was counted; counts that fail to be written are kept for the next try. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const counts = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.repository.addCatalogueReads(counts);
    } catch (error) {
      for (const count of counts) this.add(count);
      throw error;
    }
  }

  private add(count: CatalogueReadCount): void {
    const key = `${count.day}\u0000${count.reader}`;
    const held = this.pending.get(key);
    if (held) {
      held.requests += count.requests;
      held.records += count.records;
    } else {
      this.pending.set(key, { ...count });
    }
  }

  private dayOf(now: Date): string {
    const instant = now.getTime();
    if (!(instant >= this.today.from && instant < this.today.until)) {
      const from = chinaMidnight(now).getTime();
      this.today = { day: chinaDay(now), from, until: from + DAY_MS };
    }
    return this.today.day;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(this.onError);
  }
}
