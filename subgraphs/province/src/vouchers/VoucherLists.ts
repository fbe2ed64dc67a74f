import { checkPageSize, instantIdCursor, toConnection, type Connection } from '../../../../shared/src';
import type { CreationPage } from '../persistence/pageByCreation';
import type { VoucherEntity } from './VoucherEntity';
import type { VoucherHoldEntity, VoucherHoldStatus } from './VoucherHoldEntity';
import type { RedemptionState, VoucherRedemptionEntity } from './VoucherRedemptionEntity';
import type { VoucherRedemptionRepository } from './VoucherRedemptionRepository';
import type { CreationCursor, VoucherRepository } from './VoucherRepository';

/** The paging arguments of the voucher lists (`first`, `after`), as GraphQL delivers them. */
export interface PageArgs {
  readonly first: number;
  readonly after?: string | null;
}

/** A connection of a voucher list, with its count (run only when asked). */
export type PageOf<T> = Connection<T> & { totalCount: () => Promise<number> };

/** Position in the (created_at, id) order of vouchers, holds and redemptions: the one cursor codec. */
const creationCursor = instantIdCursor('createdAt');

/**
 * The admins' lists of the province's vouchers and holds (the issuer's side) and voucher payments (the serving
 * side), a page at a time. Plain reads on the DataSource's repositories, so a page's count, asked after the page,
 * runs on a connection of its own.
 */
export class VoucherLists {
  constructor(
    private readonly vouchers: VoucherRepository,
    private readonly redemptions: VoucherRedemptionRepository,
  ) {}

  /** The vouchers issued, newest first. */
  issued(args: PageArgs): Promise<PageOf<VoucherEntity>> {
    return page(args, (first, after) => this.vouchers.latest(first, after));
  }

  /** Holds in a status (all when null), oldest first. */
  holds(status: VoucherHoldStatus | null, args: PageArgs): Promise<PageOf<VoucherHoldEntity>> {
    return page(args, (first, after) => this.vouchers.holdsByStatus(status, first, after));
  }

  /** Payments of this province's charges in a state (all when null), newest first. */
  payments(state: RedemptionState | null, args: PageArgs): Promise<PageOf<VoucherRedemptionEntity>> {
    return page(args, (first, after) => this.redemptions.byState(state, first, after));
  }
}

async function page<T extends { createdAt: Date; id: string }>(
  args: PageArgs,
  read: (first: number, after: CreationCursor | null) => Promise<CreationPage<T>>,
): Promise<PageOf<T>> {
  const rows = await read(checkPageSize(args.first), creationCursor.decode(args.after));
  return { totalCount: rows.totalCount, ...toConnection(rows.rows, rows.hasNextPage, creationCursor.encode) };
}
