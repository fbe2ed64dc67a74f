import { badUserInput, input, parseInput } from '../../../../shared/src';
import { checkPageSize } from '../domain/instrumentSearch';
import type { AuditEntryEntity } from '../entities';
import type { AuditRepository } from '../repositories/AuditRepository';

export interface AuditLogArgs {
  entityId?: string | null;
  first: number;
  after?: string | null;
}

export interface AuditLogPage {
  edges: { cursor: string; node: AuditEntryEntity }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const entityIdSchema = input.text(1, 100);

/** Who changed what, newest first, a page at a time (access is checked by the caller: province admins only). */
export class AuditLogService {
  constructor(private readonly audit: AuditRepository) {}

  async page(args: AuditLogArgs): Promise<AuditLogPage> {
    const entityId = args.entityId == null ? undefined : parseInput(entityIdSchema, args.entityId, 'entityId');
    const first = checkPageSize(args.first);
    const { rows, hasNextPage } = await this.audit.findPage({ entityId, first, beforeId: decodeAuditCursor(args.after) });
    const edges = rows.map((node) => ({ cursor: encodeAuditCursor(node.id), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

/** Opaque to clients: base64url of the entry's id (a bigint, kept as text). */
const encodeAuditCursor = (id: string) => Buffer.from(`audit:${id}`).toString('base64url');

function decodeAuditCursor(after: string | null | undefined): string | undefined {
  if (after == null) return undefined;
  const match = /^audit:(\d{1,19})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match) throw badUserInput('after must be a cursor returned by this list (pageInfo.endCursor or an edge cursor).', { argument: 'after' });
  return match[1];
}
