import type { EntityManager, Repository } from 'typeorm';
import { entityInsert, type EntityInsert } from '../../../../shared/src';
import { AccessLogEntryEntity, type AccessKind, type ActorKind } from './AccessLogEntryEntity';

/** A line to append; the database sets its id and time. */
export type NewAccessEntry = Omit<AccessLogEntryEntity, 'id' | 'at'>;

const ACCESS_COLUMNS = [
  'requestId', 'kind', 'actorKind', 'actorId', 'actorName', 'clientId', 'operation', 'operationName', 'entityType', 'entityIds',
] as const satisfies readonly (keyof NewAccessEntry)[];

export interface AccessLogQuery {
  readonly kind?: AccessKind;
  readonly actorId?: string;
  readonly clientId?: string;
  readonly entityType?: string;
  readonly entityId?: string;
  readonly requestId?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly first: number;
  /** Entries older than this one (its id): the keyset cursor. */
  readonly beforeId?: string;
}

export interface CatalogueReadCount {
  /** A China calendar day, YYYY-MM-DD. */
  readonly day: string;
  /** A client id, `person` or `anonymous`. */
  readonly reader: string;
  readonly requests: number;
  readonly records: number;
}

/** Every query on access_log and catalogue_reads: appends and reads, never an UPDATE or DELETE of the log. */
export class AccessLogRepository {
  private readonly entries: Repository<AccessLogEntryEntity>;
  private readonly inserts: EntityInsert<NewAccessEntry>;

  constructor(private readonly manager: EntityManager) {
    this.entries = manager.getRepository(AccessLogEntryEntity);
    this.inserts = entityInsert(manager, AccessLogEntryEntity, ACCESS_COLUMNS);
  }

  /** Lines in one INSERT (100 a statement): a request's, or those of requests finishing together (GroupedAppends). */
  async append(rows: readonly NewAccessEntry[]): Promise<void> {
    await this.inserts.insert(rows);
  }

  /** Newest first, keyset-paginated on id; one row more is read to know whether a page follows. */
  async findPage(query: AccessLogQuery): Promise<{ rows: AccessLogEntryEntity[]; hasNextPage: boolean }> {
    const builder = this.entries.createQueryBuilder('l').orderBy('l.id', 'DESC').limit(query.first + 1);
    if (query.kind !== undefined) builder.andWhere('l.kind = :kind', { kind: query.kind });
    if (query.actorId !== undefined) builder.andWhere('l.actor_id = :actorId', { actorId: query.actorId });
    if (query.clientId !== undefined) builder.andWhere('l.client_id = :clientId', { clientId: query.clientId });
    if (query.entityType !== undefined) builder.andWhere('l.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId !== undefined) builder.andWhere('l.entity_ids @> ARRAY[:entityId]::text[]', { entityId: query.entityId });
    if (query.requestId !== undefined) builder.andWhere('l.request_id = :requestId', { requestId: query.requestId });
    if (query.from !== undefined) builder.andWhere('l.at >= :from', { from: query.from });
    if (query.to !== undefined) builder.andWhere('l.at < :to', { to: query.to });
    if (query.beforeId !== undefined) builder.andWhere('l.id < :beforeId', { beforeId: query.beforeId });
    const rows = await builder.getMany();
    return { rows: rows.slice(0, query.first), hasNextPage: rows.length > query.first };
  }

  /** Adds counted catalogue reads to their day's totals, in one statement. */
  async addCatalogueReads(counts: readonly CatalogueReadCount[]): Promise<void> {
    if (counts.length === 0) return;
    await this.manager.query(
      `INSERT INTO catalogue_reads (day, reader, requests, records)
       SELECT * FROM unnest($1::date[], $2::varchar[], $3::bigint[], $4::bigint[])
       ON CONFLICT (day, reader) DO UPDATE
         SET requests = catalogue_reads.requests + EXCLUDED.requests, records = catalogue_reads.records + EXCLUDED.records`,
      [counts.map((c) => c.day), counts.map((c) => c.reader), counts.map((c) => c.requests), counts.map((c) => c.records)],
    );
  }

  /** Days `fromDay` to `toDay` (China days, inclusive), by day then reader. */
  async catalogueReads(fromDay: string, toDay: string): Promise<CatalogueReadCount[]> {
    const rows: { day: string; reader: string; requests: string; records: string }[] = await this.manager.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, reader, requests::text, records::text FROM catalogue_reads
       WHERE day BETWEEN $1::date AND $2::date ORDER BY day, reader`,
      [fromDay, toDay],
    );
    return rows.map((row) => ({ day: row.day, reader: row.reader, requests: Number(row.requests), records: Number(row.records) }));
  }
}

export type { AccessKind, ActorKind };
