import type { Logger } from '../../../../shared/src';

/** What one sweep does: the issuer's expiries, then the serving side's unfinished redemptions. */
export interface SweepWork {
  sweep(): Promise<{ releasedHolds: number; expiredVouchers: number }>;
  resume(): Promise<{ resumed: number; stillPending: number }>;
}

/**
 * The province process's voucher housekeeping, every `intervalMs`: as issuer,
 * it releases holds nobody captured in time and expires balances past their
 * voucher's last day; as server, it finishes or undoes redemptions a stopped
 * process left between steps. One sweep at a time; a failed sweep (the database
 * or the gateway away) is logged and the next one tries again.
 */
export class VoucherSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private logger: Pick<Logger, 'info' | 'warn'> | undefined;

  constructor(
    private readonly work: SweepWork,
    private readonly intervalMs: number,
  ) {}

  start(logger: Pick<Logger, 'info' | 'warn'>): void {
    this.logger = logger;
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    }, this.intervalMs);
    // Housekeeping never keeps the process alive on its own.
    this.timer.unref();
  }

  async sweepOnce(): Promise<void> {
    try {
      const swept = await this.work.sweep();
      const resumed = await this.work.resume();
      if (swept.releasedHolds + swept.expiredVouchers + resumed.resumed > 0) this.logger?.info({ ...swept, ...resumed }, 'voucher sweep');
    } catch (error) {
      this.logger?.warn({ err: error }, 'voucher sweep failed; the next one retries');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
