import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('instrument_categories')
export class CategoryEntity {
  @PrimaryColumn('varchar', { length: 40 })
  code!: string;

  @Column('varchar', { name: 'name_en', length: 100 })
  nameEn!: string;

  @Column('varchar', { name: 'name_zh', length: 100 })
  nameZh!: string;

  /** A retired category keeps its instruments but takes no new one. */
  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt!: Date | null;
}
