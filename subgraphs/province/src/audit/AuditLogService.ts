import { checkPageSize, cursorCodec, input, parseInput, toConnection, type Connection } from '../../../../shared/src';
import type { AuditEntryEntity } from './AuditEntryEntity';
import type { AuditRepository } from './AuditRepository';

export interface AuditLogArgs {
  entityId?: string | null;
  first: number;
  after?: string | null;
}


const entityIdSchema = input.text(1, 100);

/** The largest bigint PostgreSQL stores: an entry id beyond it was never handed out. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Position in the newest-first order: the entry's id (a bigint, kept as text). */
const auditCursor = cursorCodec<string>(
  (id) => [id],
  ([id, ...rest]) => (id !== undefined && /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_BIGINT && rest.length === 0 ? id : null),
);

/** Who changed what, newest first, a page at a time (access is checked by the caller: province admins only). */
export class AuditLogService {
  constructor(private readonly audit: AuditRepository) {}

  async page(args: AuditLogArgs): Promise<Connection<AuditEntryEntity>> {
    const entityId = args.entityId == null ? undefined : parseInput(entityIdSchema, args.entityId, 'entityId');
    const first = checkPageSize(args.first);
    const { rows, hasNextPage } = await this.audit.findPage({ entityId, first, beforeId: auditCursor.decode(args.after) ?? undefined });
    return toConnection(rows, hasNextPage, (row) => auditCursor.encode(row.id));
  }
}
