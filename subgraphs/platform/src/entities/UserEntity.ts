import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ProvinceKey, Role } from '../../../../shared/src';

/** A person with one identity in both provinces. */
@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 64, unique: true })
  username!: string;

  @Column('varchar', { name: 'display_name', length: 120 })
  displayName!: string;

  @Column('varchar', { name: 'home_province', length: 20, nullable: true })
  homeProvince!: ProvinceKey | null;

  @Column('text', { array: true })
  roles!: Role[];

  /** `scrypt$N$r$p$salt$hash`, never the password itself. */
  @Column('varchar', { name: 'password_hash', length: 255 })
  passwordHash!: string;

  @Column('boolean', { default: false })
  disabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
