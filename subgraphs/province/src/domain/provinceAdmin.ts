import type { PolicyViewer } from '../../../../shared/src';

/** The `@policy` name of "an admin of THIS province" in the province SDL. */
export const PROVINCE_ADMIN = 'province_admin';

/**
 * An admin of this province, as checked by the `@policy(policies: [["province_admin"]])`
 * directive before the resolver ran: operations that take one do not check the role again.
 */
export type ProvinceAdmin = PolicyViewer<typeof PROVINCE_ADMIN>;

/** The `@policy` name of "who records actual use here": this province's admins, or a kiosk client with its `usage:record:<province>` scope. */
export const USAGE_RECORDER = 'usage_recorder';
