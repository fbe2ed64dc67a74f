import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OfferingKind } from './pricing';

/** One field a service request for a sample-testing offering must (or may) give. */
export interface SampleFormField {
  readonly name: string;
  readonly label: string;
  readonly type: 'TEXT' | 'NUMBER' | 'BOOLEAN' | 'DATE';
  readonly required: boolean;
}

/** A service offered with one instrument or by one lab's service centre (exactly one of the two). */
@Entity('offerings')
export class OfferingEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'instrument_id', nullable: true })
  instrumentId!: string | null;

  @Column('uuid', { name: 'lab_id', nullable: true })
  labId!: string | null;

  @Column('varchar', { length: 30 })
  kind!: OfferingKind;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { name: 'name_zh', length: 200 })
  nameZh!: string;

  @Column('integer', { name: 'turnaround_days', nullable: true })
  turnaroundDays!: number | null;

  @Column('varchar', { length: 2000, nullable: true })
  requirements!: string | null;

  @Column('jsonb', { name: 'sample_form' })
  sampleForm!: SampleFormField[];

  @Column('boolean')
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
