import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { AuditLogService } from './AuditLogService';

/** What the audit resolvers read from a request. */
export interface AuditContext extends ProvinceRequest {
  readonly services: { readonly auditLog: AuditLogService };
}

/** Resolvers of audit fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<AuditContext>();
