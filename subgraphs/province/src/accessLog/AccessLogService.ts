import { z } from 'zod';
import {
  bigintIdCursor, checkPageSize, chinaDay, input, parseInput, spreadsheetCsv, toConnection, type Connection,
} from '../../../../shared/src';
import type { AccessLogEntryEntity } from './AccessLogEntryEntity';
import type { AccessLogQuery, AccessLogRepository, CatalogueReadCount, NewAccessEntry } from './AccessLogRepository';
import type { AccessRecorder } from './AccessRecorder';
import type { CatalogueReadCounter } from './CatalogueReadCounter';
import { GroupedAppends } from './GroupedAppends';

/** The filter as the API takes it (`AccessLogFilter`). */
export interface AccessLogFilterInput {
  kind?: 'READ' | 'WRITE' | null;
  actorId?: string | null;
  clientId?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  requestId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Rows one export may hold: a larger one is asked for a period at a time. */
export const MAX_EXPORT_ROWS = 10_000;

const text = (max: number) => input.text(1, max).nullish();
const filterSchema = z.object({
  kind: z.enum(['READ', 'WRITE']).nullish(),
  actorId: text(200),
  clientId: text(64),
  entityType: text(80),
  entityId: text(200),
  requestId: text(100),
  from: z.date().nullish(),
  to: z.date().nullish(),
}).refine((filter) => !filter.from || !filter.to || filter.from < filter.to, { message: 'from must be before to', path: ['to'] });

const EXPORT_COLUMNS = ['id', 'at', 'kind', 'requestId', 'actorKind', 'actorId', 'actorName', 'clientId', 'operation', 'operationName', 'entityType', 'entityIds'] as const;

/** The access log of this province: written once per request, read and exported by its admins (checked by the caller). */
export class AccessLogService {
  /** Requests finishing together share one INSERT and one commit; each still waits for its own lines. */
  private readonly appends: GroupedAppends<NewAccessEntry>;

  constructor(
    private readonly log: AccessLogRepository,
    private readonly catalogue: CatalogueReadCounter,
  ) {
    this.appends = new GroupedAppends((lines) => this.log.append(lines));
  }

  /** Writes what one request read and wrote and counts its catalogue reads. Throws when the log cannot be written. */
  async flush(recorder: AccessRecorder, operationName: string | null): Promise<void> {
    await this.appends.append(recorder.entries(operationName));
    if (recorder.catalogueReads > 0) this.catalogue.count(recorder.reader, recorder.catalogueReads);
  }

  async page(filter: AccessLogFilterInput | null | undefined, first: number, after: string | null | undefined): Promise<Connection<AccessLogEntryEntity>> {
    const query = { ...toQuery(filter), first: checkPageSize(first), beforeId: bigintIdCursor.decode(after) ?? undefined };
    const { rows, hasNextPage } = await this.log.findPage(query);
    return toConnection(rows, hasNextPage, (row) => bigintIdCursor.encode(row.id));
  }

  /** The entries the filter selects, newest first, as CSV with a header line; at most MAX_EXPORT_ROWS. */
  async exportCsv(filter: AccessLogFilterInput | null | undefined): Promise<string> {
    const { rows } = await this.log.findPage({ ...toQuery(filter), first: MAX_EXPORT_ROWS });
    return spreadsheetCsv(
      rows.map((row) => ({ ...row, at: row.at.toISOString(), entityIds: row.entityIds.join(' ') })),
      { header: true, columns: [...EXPORT_COLUMNS] },
    );
  }

  /** Catalogue reads per reader per China day, `from` to `to` (default: the last 30 days). */
  catalogueReads(from: Date | null | undefined, to: Date | null | undefined): Promise<CatalogueReadCount[]> {
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 30 * 86_400_000);
    return this.log.catalogueReads(chinaDay(start), chinaDay(end));
  }
}

function toQuery(filter: AccessLogFilterInput | null | undefined): Omit<AccessLogQuery, 'first'> {
  const valid = parseInput(filterSchema, filter ?? {}, 'filter');
  return {
    ...(valid.kind ? { kind: valid.kind === 'READ' ? 'read' : 'write' } : {}),
    ...(valid.actorId ? { actorId: valid.actorId } : {}),
    ...(valid.clientId ? { clientId: valid.clientId } : {}),
    ...(valid.entityType ? { entityType: valid.entityType } : {}),
    ...(valid.entityId ? { entityId: valid.entityId } : {}),
    ...(valid.requestId ? { requestId: valid.requestId } : {}),
    ...(valid.from ? { from: valid.from } : {}),
    ...(valid.to ? { to: valid.to } : {}),
  };
}
