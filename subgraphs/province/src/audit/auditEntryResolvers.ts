import { isUuid } from '../../../../shared/src';
import type { AuditEntryEntity } from './AuditEntryEntity';

/** Fields of `AuditEntry` that are not a plain column of the same name. */
export const auditEntryResolvers = {
  // Only people have platform accounts (UUIDs); a partner client's subject is named by actorName alone.
  actor: (entry: AuditEntryEntity) => (isUuid(entry.actorId) ? { __typename: 'User', id: entry.actorId } : null),
  details: (entry: AuditEntryEntity) => (entry.details === null ? null : JSON.stringify(entry.details)),
};
