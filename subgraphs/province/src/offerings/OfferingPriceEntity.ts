import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CustomerCategory } from '../../../../shared/src';

/** bigint comes back from pg as a string; amounts are capped far below 2^53, so a number is exact. */
export const bigintToNumber = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/** One price of an offering: for one customer category, in one band (STANDARD or a time band), in fen. */
@Entity('offering_prices')
export class OfferingPriceEntity {
  @PrimaryColumn('uuid', { name: 'offering_id' })
  offeringId!: string;

  @PrimaryColumn('varchar', { name: 'customer_category', length: 30 })
  category!: CustomerCategory;

  @PrimaryColumn('varchar', { length: 40 })
  band!: string;

  @Column('integer', { name: 'from_hour', nullable: true })
  fromHour!: number | null;

  @Column('integer', { name: 'to_hour', nullable: true })
  toHour!: number | null;

  @Column('bigint', { name: 'amount_fen', transformer: bigintToNumber })
  amountFen!: number;
}
