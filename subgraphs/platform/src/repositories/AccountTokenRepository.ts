import type { DataSource, EntityManager } from 'typeorm';

export type AccountTokenPurpose = 'verify_email' | 'reset_password';

/** Every query on account_tokens: only hashes are stored, so a copy of the table verifies and resets nothing. */
export class AccountTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tokenHash: string, userId: string, purpose: AccountTokenPurpose, expiresAt: Date): Promise<void> {
    await this.dataSource.query('INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash, userId, purpose, expiresAt]);
  }

  /** Uses a verification token and marks the address verified, in one transaction; the user's id, or null (unknown, used, expired). */
  verifyEmail(tokenHash: string, now: Date): Promise<string | null> {
    return this.use(tokenHash, 'verify_email', now, async (manager, userId) => {
      await manager.query('UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL', [userId, now]);
    });
  }

  /**
   * Uses a reset token: sets the new password hash, counts the address as verified (the mail reached its owner) and
   * ends every session of the user, in one transaction; the user's id, or null (unknown, used, expired).
   */
  resetPassword(tokenHash: string, now: Date, passwordHash: string): Promise<string | null> {
    return this.use(tokenHash, 'reset_password', now, async (manager, userId) => {
      await manager.query('UPDATE users SET password_hash = $2, email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $1', [userId, passwordHash, now]);
      await manager.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, now]);
    });
  }

  /** Of two uses of one token at once, one wins; using one also ends the user's other tokens of that purpose. */
  private use(tokenHash: string, purpose: AccountTokenPurpose, now: Date, apply: (manager: EntityManager, userId: string) => Promise<void>): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        'UPDATE account_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id',
        [tokenHash, purpose, now],
      )) as [{ user_id: string }[], number];
      const userId = rows[0]?.user_id;
      if (!userId) return null;
      await manager.query('UPDATE account_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [userId, purpose, now]);
      await apply(manager, userId);
      return userId;
    });
  }
}
