import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './UserEntity';

/**
 * One refresh token of a sign-in session. A session is a family: each refresh
 * marks the presented token used and adds the next one under the same
 * `familyId`, so presenting a used token again (a copy in someone else's
 * hands) can end the whole family.
 */
@Entity('refresh_tokens')
export class RefreshTokenEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'family_id' })
  familyId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  /** Hex SHA-256 of the token: the token itself is never stored, so a leaked table signs nobody in. */
  @Column('char', { name: 'token_hash', length: 64, unique: true })
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  /** Set when the token was exchanged for its successor. */
  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;

  /** Set on every token of a family when the session ends (logout, reuse, admin revocation). */
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
