import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { FundingSource, InstrumentService, InstrumentStatus } from '../domain/registryTypes';

/** numeric comes back from pg as a string; fees are small enough for a JS number. */
const numericToNumber = { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

@Entity('instruments')
export class InstrumentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { name: 'asset_code', length: 40, unique: true })
  assetCode!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { name: 'name_zh', length: 200 })
  nameZh!: string;

  @Column('varchar', { name: 'category_code', length: 40 })
  categoryCode!: string;

  @Column('varchar', { length: 120, nullable: true })
  model!: string | null;

  @Column('varchar', { length: 120, nullable: true })
  manufacturer!: string | null;

  @Column('varchar', { length: 200 })
  institution!: string;

  @Column('uuid', { name: 'lab_id', nullable: true })
  labId!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  location!: string | null;

  @Column('varchar', { length: 20 })
  status!: InstrumentStatus;

  @Column('boolean', { name: 'open_for_sharing' })
  openForSharing!: boolean;

  @Column('numeric', { name: 'hourly_fee', precision: 10, scale: 2, transformer: numericToNumber })
  hourlyFee!: number;

  @Column('text', { array: true })
  services!: InstrumentService[];

  @Column('smallint', { name: 'open_from_hour' })
  openFromHour!: number;

  @Column('smallint', { name: 'open_to_hour' })
  openToHour!: number;

  @Column('smallint', { name: 'min_booking_minutes' })
  minBookingMinutes!: number;

  @Column('smallint', { name: 'max_booking_minutes' })
  maxBookingMinutes!: number;

  @Column('text', { nullable: true })
  description!: string | null;

  /** Original value (原值) in fen; bigint comes back from pg as a string, kept so: exact beyond 2^53. */
  @Column('bigint', { name: 'original_value_fen', nullable: true })
  originalValueFen!: string | null;

  @Column('varchar', { name: 'funding_source', length: 20, nullable: true })
  fundingSource!: FundingSource | null;

  /** Calendar days (YYYY-MM-DD), as pg returns a date column. */
  @Column('date', { name: 'purchase_date', nullable: true })
  purchaseDate!: string | null;

  @Column('date', { name: 'commissioning_date', nullable: true })
  commissioningDate!: string | null;

  /** ISO 3166-1 alpha-2, e.g. CN. */
  @Column('varchar', { name: 'country_of_manufacture', length: 2, nullable: true })
  countryOfManufacture!: string | null;

  /** Six digits of the national classification: class, subclass, item. */
  @Column('varchar', { name: 'classification_code', length: 6, nullable: true })
  classificationCode!: string | null;

  @Column('text', { name: 'main_specifications', nullable: true })
  mainSpecifications!: string | null;

  @Column('text', { name: 'main_functions', nullable: true })
  mainFunctions!: string | null;

  @Column('varchar', { name: 'sharing_contact_name', length: 100, nullable: true })
  sharingContactName!: string | null;

  @Column('varchar', { name: 'sharing_contact_phone', length: 40, nullable: true })
  sharingContactPhone!: string | null;

  @Column('varchar', { name: 'sharing_contact_email', length: 200, nullable: true })
  sharingContactEmail!: string | null;

  @Column('varchar', { name: 'retired_reason', length: 500, nullable: true })
  retiredReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
