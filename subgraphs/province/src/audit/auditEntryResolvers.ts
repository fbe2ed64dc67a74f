import { isUuid } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { AuditEntryEntity } from './AuditEntryEntity';
import { authorized } from './AuditContext';
import type { AuditLogArgs } from './AuditLogService';

/** Fields of `AuditEntry` that are not a plain column of the same name. */
export const auditEntryResolvers = {
  // Only people have platform accounts (UUIDs); a partner client's subject is named by actorName alone.
  actor: (entry: AuditEntryEntity) => (isUuid(entry.actorId) ? { __typename: 'User', id: entry.actorId } : null),
  details: (entry: AuditEntryEntity) => (entry.details === null ? null : JSON.stringify(entry.details)),
};

/** `<Province>Registry.auditLog`: who changed what, for this province's admins. */
export const auditRegistryResolvers = {
  auditLog: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: AuditLogArgs, { services }) => services.auditLog.page(args)),
};
