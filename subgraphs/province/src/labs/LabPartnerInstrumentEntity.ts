import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { LabEntity } from './LabEntity';

/** A partner-province instrument shared by a joint lab: stored as the partner's global id only. */
@Entity('lab_partner_instruments')
export class LabPartnerInstrumentEntity {
  @PrimaryColumn('uuid', { name: 'lab_id' })
  labId!: string;

  @PrimaryColumn('varchar', { name: 'partner_instrument_id', length: 100 })
  partnerInstrumentId!: string;

  @Column('smallint')
  position!: number;

  @ManyToOne('LabEntity', 'partnerInstruments', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lab_id' })
  lab?: LabEntity;
}
