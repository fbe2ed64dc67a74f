import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AffiliationKind, ProvinceKey, Role } from '../../../../shared/src';

export type UserLocale = 'zh' | 'en';

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

  /** `scrypt$N$r$p$salt$hash`, never the password itself; null for a person who signs in only through a provider. */
  @Column('varchar', { name: 'password_hash', length: 255, nullable: true })
  passwordHash!: string | null;

  /** Lower-case; unique when set. */
  @Column('varchar', { length: 254, nullable: true })
  email!: string | null;

  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt!: Date | null;

  /** A self-registered account: it cannot sign in until its address is verified. */
  @Column('boolean', { name: 'requires_email_verification', default: false })
  requiresEmailVerification!: boolean;

  /** The language of the mail the platform sends this person. */
  @Column('varchar', { length: 5, default: 'zh' })
  locale!: UserLocale;

  /** Whether the provinces mail this person when their bookings and service requests change. */
  @Column('boolean', { name: 'mail_notifications', default: true })
  mailNotifications!: boolean;

  @Column('varchar', { length: 200, nullable: true })
  institution!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  affiliation!: AffiliationKind | null;

  /** Set by a platform admin or a provider that vouches for it; self-declared affiliations are not. */
  @Column('boolean', { name: 'affiliation_verified', default: false })
  affiliationVerified!: boolean;

  @Column('boolean', { default: false })
  disabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
