/** Most lines one INSERT of the group takes (entityInsert's statement size): a request with more goes alone. */
const MAX_GROUP_LINES = 100;

interface Waiting<Line> {
  readonly lines: readonly Line[];
  readonly settle: (error?: unknown) => void;
}

/**
 * Appends requests' access-log lines, those of requests that finish together in one INSERT: while one INSERT is
 * under way, the lines of the requests finishing meanwhile wait, and then go in the next, all in one statement and
 * one commit (a group commit). A request alone is written at once. Each request still waits until its own lines are
 * committed and learns if they were not, so the log's guarantee stays per request while its cost (a round trip
 * and a commit, which was most of a request's cost to the database on a voucher payment) is per group. A group
 * that fails is written again a request at a time, so one request's bad line withholds no other's answer.
 *
 * Hand-written: DataLoader batches within one tick, but lines arrive across ticks while an INSERT is in flight,
 * which is exactly when grouping them saves a commit.
 */
export class GroupedAppends<Line> {
  private waiting: Waiting<Line>[] = [];
  private writing = false;

  constructor(private readonly write: (lines: readonly Line[]) => Promise<void>) {}

  /** Resolves once `lines` are committed; rejects with the write's error when they could not be. */
  append(lines: readonly Line[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ lines, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writing) void this.writeWaiting();
    });
  }

  private async writeWaiting(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) await this.writeGroup(this.takeGroup());
    } finally {
      this.writing = false;
    }
  }

  /** The oldest waiting requests, whole, up to MAX_GROUP_LINES lines (at least one request). */
  private takeGroup(): Waiting<Line>[] {
    let lines = this.waiting[0]!.lines.length;
    let count = 1;
    while (count < this.waiting.length && lines + this.waiting[count]!.lines.length <= MAX_GROUP_LINES) {
      lines += this.waiting[count]!.lines.length;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }

  private async writeGroup(group: readonly Waiting<Line>[]): Promise<void> {
    try {
      await this.write(group.length === 1 ? group[0]!.lines : group.flatMap((request) => request.lines));
      for (const request of group) request.settle();
    } catch (error) {
      if (group.length === 1) {
        group[0]!.settle(error ?? new Error('the access log was not written'));
        return;
      }
      for (const request of group) await this.writeGroup([request]);
    }
  }
}
