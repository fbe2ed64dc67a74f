import { Column, Entity, PrimaryColumn } from 'typeorm';
import { fen } from './fenColumn';

/** The minimal charge ledger's row: a charge's amount and its voucher parts, until charges carry them. */
@Entity('voucher_charges')
export class VoucherChargeEntity {
  @PrimaryColumn('varchar', { name: 'charge_ref', length: 100 })
  chargeRef!: string;

  @Column('bigint', { name: 'amount_fen', transformer: fen })
  amountFen!: number;

  @Column('bigint', { name: 'voucher_pending_fen', transformer: fen })
  voucherPendingFen!: number;

  @Column('bigint', { name: 'voucher_captured_fen', transformer: fen })
  voucherCapturedFen!: number;
}
