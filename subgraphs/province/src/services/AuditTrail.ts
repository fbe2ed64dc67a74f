import type { EntityManager } from 'typeorm';
import type { Viewer } from '../../../../shared/src';
import { AuditEntryEntity } from '../entities';

export interface AuditRecord {
  /** e.g. `booking.confirmed`, `instrument.created`. */
  readonly action: string;
  readonly entityType: string;
  /** Global id of what changed. */
  readonly entityId: string | null;
  readonly details?: Record<string, unknown>;
}

/**
 * Writes who changed what, inside the transaction of the change itself: the
 * change and its record commit together or not at all.
 */
export async function recordAudit(manager: EntityManager, viewer: Viewer, record: AuditRecord): Promise<void> {
  await manager.insert(AuditEntryEntity, {
    actorId: viewer.subject,
    actorName: viewer.displayName ?? viewer.subject,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    // jsonb: TypeORM serialises the object; its deep-partial type does not model a free-form record.
    details: (record.details ?? null) as never,
  });
}
