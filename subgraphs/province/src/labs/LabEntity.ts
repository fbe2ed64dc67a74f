import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProvinceKey } from '../../../../shared/src';
import type { LabLevel } from '../domain/registryTypes';
import { LabPartnerInstrumentEntity } from './LabPartnerInstrumentEntity';

@Entity('labs')
export class LabEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 40, unique: true })
  code!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { name: 'name_zh', length: 200 })
  nameZh!: string;

  @Column('varchar', { length: 200 })
  institution!: string;

  @Column('varchar', { length: 80 })
  city!: string;

  @Column('varchar', { length: 20 })
  level!: LabLevel;

  @Column('boolean', { name: 'jointly_built' })
  jointlyBuilt!: boolean;

  @Column('varchar', { name: 'partner_province', length: 20, nullable: true })
  partnerProvince!: ProvinceKey | null;

  @Column('text', { name: 'partner_institutions', array: true })
  partnerInstitutions!: string[];

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt!: Date | null;

  @Column('varchar', { name: 'retired_reason', length: 500, nullable: true })
  retiredReason!: string | null;

  @OneToMany(() => LabPartnerInstrumentEntity, (link) => link.lab, { cascade: ['insert'] })
  partnerInstruments?: LabPartnerInstrumentEntity[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
