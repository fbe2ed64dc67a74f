import { bigintIdCursor, checkPageSize, input, parseInput, toConnection, type Connection } from '../../../../shared/src';
import type { AuditEntryEntity } from './AuditEntryEntity';
import type { AuditRepository } from './AuditRepository';

export interface AuditLogArgs {
  entityId?: string | null;
  first: number;
  after?: string | null;
}


const entityIdSchema = input.text(1, 100);

/** Who changed what, newest first, a page at a time (access is checked by the caller: province admins only). */
export class AuditLogService {
  constructor(private readonly audit: AuditRepository) {}

  async page(args: AuditLogArgs): Promise<Connection<AuditEntryEntity>> {
    const entityId = args.entityId == null ? undefined : parseInput(entityIdSchema, args.entityId, 'entityId');
    const first = checkPageSize(args.first);
    const { rows, hasNextPage } = await this.audit.findPage({ entityId, first, beforeId: bigintIdCursor.decode(args.after) ?? undefined });
    return toConnection(rows, hasNextPage, (row) => bigintIdCursor.encode(row.id));
  }
}
