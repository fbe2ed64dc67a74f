import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { AccessLogEntryEntity } from './AccessLogEntryEntity';
import { authorized } from './AccessLogContext';
import type { AccessLogFilterInput } from './AccessLogService';

type FilterArgs = { filter?: AccessLogFilterInput | null };

/** `<Province>Registry.accessLog`, its export and the catalogue counts: this province's admins only. */
export const accessLogRegistryResolvers = {
  accessLog: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: FilterArgs & { first: number; after?: string | null }, { services }) =>
    services.accessLog.page(args.filter, args.first, args.after)),
  accessLogCsv: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: FilterArgs, { services }) => services.accessLog.exportCsv(args.filter)),
  catalogueReads: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { from?: Date | null; to?: Date | null }, { services }) =>
    services.accessLog.catalogueReads(args.from, args.to)),
};

/** Fields of `AccessLogEntry` that are not a plain column of the same name. */
export const accessLogEntryResolvers = {
  kind: (entry: AccessLogEntryEntity) => entry.kind.toUpperCase(),
  actorKind: (entry: AccessLogEntryEntity) => entry.actorKind.toUpperCase(),
};
