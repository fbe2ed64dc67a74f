import type { EntityManager, Repository } from 'typeorm';
import { entityInsert, type EntityInsert, type Viewer } from '../../../../shared/src';
import { AuditEntryEntity } from './AuditEntryEntity';

export interface AuditQuery {
  /** Only entries about this entity (its global id). */
  readonly entityId?: string;
  readonly first: number;
  /** Entries older than this one (its id): the keyset cursor. */
  readonly beforeId?: string;
}

export interface AuditRecord {
  /** e.g. `booking.confirmed`, `instrument.created`. */
  readonly action: string;
  readonly entityType: string;
  /** Global id of what changed. */
  readonly entityId: string | null;
  readonly details?: Record<string, unknown>;
}

/** What a change writes of its entry; the database sets the id and the time. */
const AUDIT_COLUMNS = ['actorId', 'actorName', 'action', 'entityType', 'entityId', 'details'] as const;

/** The audit log: who changed what. */
export class AuditRepository {
  private readonly entries: Repository<AuditEntryEntity>;
  private readonly inserts: EntityInsert<Pick<AuditEntryEntity, (typeof AUDIT_COLUMNS)[number]>>;

  constructor(manager: EntityManager) {
    this.entries = manager.getRepository(AuditEntryEntity);
    this.inserts = entityInsert(manager, AuditEntryEntity, AUDIT_COLUMNS);
  }

  /**
   * Writes who changed what. Called on the repositories of the change's own
   * unit of work: the change and its record commit together or not at all.
   */
  async record(viewer: Viewer, record: AuditRecord): Promise<void> {
    await this.recordMany(viewer, [record]);
  }

  /** Several records by one actor in one statement (a registry file's changes), in the order given. */
  async recordMany(viewer: Viewer, records: readonly AuditRecord[]): Promise<void> {
    await this.inserts.insert(
      records.map((record) => ({
        actorId: viewer.subject,
        actorName: viewer.displayName ?? viewer.subject,
        action: record.action,
        entityType: record.entityType,
        entityId: record.entityId,
        details: record.details ?? null,
      })),
    );
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
