import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A one-time code a person's approval gives a partner client: only its SHA-256 is kept, bound to the client, the
 * redirect URI and the PKCE challenge it was issued for, expiring within minutes.
 */
@Entity('authorization_codes')
export class AuthorizationCodeEntity {
  @PrimaryColumn('char', { name: 'code_hash', length: 64 })
  codeHash!: string;

  @Column('uuid', { name: 'consent_id' })
  consentId!: string;

  @Column('varchar', { name: 'client_id', length: 64 })
  clientId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('varchar', { name: 'redirect_uri', length: 2048 })
  redirectUri!: string;

  /** BASE64URL(SHA-256(code_verifier)), RFC 7636's S256. */
  @Column('varchar', { name: 'code_challenge', length: 128 })
  codeChallenge!: string;

  @Column('text', { array: true })
  scopes!: string[];

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
