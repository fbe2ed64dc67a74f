import type { AccessLogRepository, CatalogueReadCount } from '../AccessLogRepository';
import { CatalogueReadCounter } from '../CatalogueReadCounter';

/** Keeps what the counter writes; fails the writes it is told to. */
class CountsTable {
  readonly written: CatalogueReadCount[][] = [];
  failing = false;

  async addCatalogueReads(counts: readonly CatalogueReadCount[]): Promise<void> {
    if (this.failing) throw new Error('database unavailable');
    this.written.push(counts.map((count) => ({ ...count })));
  }
}

function counterOver(table: CountsTable): CatalogueReadCounter {
  return new CatalogueReadCounter(table as unknown as AccessLogRepository, () => {}, 3_600_000);
}

describe('CatalogueReadCounter', () => {
  it('adds up requests and records per reader and China day, a day changing at China midnight (16:00 UTC)', async () => {
    const table = new CountsTable();
    const counter = counterOver(table);
    counter.count('demo-hospital', 20, new Date('2026-12-05T15:59:59.999Z'));
    counter.count('demo-hospital', 5, new Date('2026-12-05T10:00:00Z'));
    counter.count('anonymous', 1, new Date('2026-12-05T12:00:00Z'));
    counter.count('demo-hospital', 7, new Date('2026-12-05T16:00:00Z'));
    // Back to an earlier day (a clock set back): counted under that day again.
    counter.count('demo-hospital', 2, new Date('2026-12-04T23:00:00Z'));
    await counter.flush();
    expect(table.written).toHaveLength(1);
    expect(table.written[0]).toEqual(expect.arrayContaining([
      { day: '2026-12-05', reader: 'demo-hospital', requests: 3, records: 27 },
      { day: '2026-12-05', reader: 'anonymous', requests: 1, records: 1 },
      { day: '2026-12-06', reader: 'demo-hospital', requests: 1, records: 7 },
    ]));
    expect(table.written[0]).toHaveLength(3);
    await counter.close();
  });

  it('keeps counts a failed write did not store, adding those counted meanwhile, and writes each once', async () => {
    const table = new CountsTable();
    const counter = counterOver(table);
    const at = new Date('2026-12-05T08:00:00Z');
    counter.count('person', 3, at);
    table.failing = true;
    await expect(counter.flush()).rejects.toThrow('database unavailable');
    counter.count('person', 4, at);
    table.failing = false;
    await counter.flush();
    await counter.flush();
    expect(table.written).toEqual([[{ day: '2026-12-05', reader: 'person', requests: 2, records: 7 }]]);
    await counter.close();
  });
});
