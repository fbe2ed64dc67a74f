import type { DataSource, Repository } from 'typeorm';
import { AuditEntryEntity } from '../entities/AuditEntryEntity';

export interface AuditQuery {
  /** Only entries about this entity (its global id). */
  readonly entityId?: string;
  readonly first: number;
  /** Entries older than this one (its id): the keyset cursor. */
  readonly beforeId?: string;
}

/** Read side of the audit log (entries are written by `recordAudit`, inside each change's transaction). */
export class AuditRepository {
  private readonly entries: Repository<AuditEntryEntity>;

  constructor(dataSource: DataSource) {
    this.entries = dataSource.getRepository(AuditEntryEntity);
  }

  /** Newest first, keyset-paginated on id (which grows with time); one row more is read to know whether a page follows. */
  async findPage(query: AuditQuery): Promise<{ rows: AuditEntryEntity[]; hasNextPage: boolean }> {
    const builder = this.entries.createQueryBuilder('a').orderBy('a.id', 'DESC').limit(query.first + 1);
    if (query.entityId !== undefined) builder.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.beforeId !== undefined) builder.andWhere('a.id < :beforeId', { beforeId: query.beforeId });
    const rows = await builder.getMany();
    return { rows: rows.slice(0, query.first), hasNextPage: rows.length > query.first };
  }
}
