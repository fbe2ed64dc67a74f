import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ProvinceKey } from '../../../../shared/src';
import { fen } from './fenColumn';

/** A voucher this province issued: it alone owns the balance. */
@Entity('vouchers')
export class VoucherEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Platform user id of the holder (an enterprise's or research team's lead). */
  @Column('uuid', { name: 'holder_user_id' })
  holderUserId!: string;

  @Column('varchar', { name: 'holder_name', length: 200 })
  holderName!: string;

  @Column('bigint', { name: 'issued_fen', transformer: fen })
  issuedFen!: number;

  /** What may still be reserved: issued less held, captured and expired. */
  @Column('bigint', { name: 'available_fen', transformer: fen })
  availableFen!: number;

  @Column('bigint', { name: 'held_fen', transformer: fen })
  heldFen!: number;

  @Column('bigint', { name: 'captured_fen', transformer: fen })
  capturedFen!: number;

  @Column('bigint', { name: 'expired_fen', transformer: fen })
  expiredFen!: number;

  @Column('timestamptz', { name: 'valid_from' })
  validFrom!: Date;

  @Column('timestamptz', { name: 'valid_until' })
  validUntil!: Date;

  /** Province keys whose services it may pay for. */
  @Column('varchar', { name: 'accepted_in', array: true })
  acceptedIn!: ProvinceKey[];

  @Column('integer', { name: 'max_share_percent' })
  maxSharePercent!: number;

  @Column('varchar', { name: 'issued_by', length: 200 })
  issuedBy!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
