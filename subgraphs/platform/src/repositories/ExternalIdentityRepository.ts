import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { UserEntity } from '../entities/UserEntity';

/** A provider's subject linked to a user. */
export interface ExternalIdentity {
  readonly provider: string;
  readonly subject: string;
  readonly linkedAt: Date;
  readonly lastSignInAt: Date | null;
}

/** Queries on users as seen through their linked provider identities, in one transaction when they belong together. */
export interface ExternalIdentityTransaction {
  findUserBySubject(provider: string, subject: string): Promise<UserEntity | null>;
  /** False when that subject, or this user at that provider, is already linked. */
  link(userId: string, provider: string, subject: string, at: Date): Promise<boolean>;
  insertUser(user: UserEntity): Promise<void>;
  isUsernameTaken(username: string): Promise<boolean>;
  isEmailTaken(email: string): Promise<boolean>;
}

/** Every query on external_identities. */
export class ExternalIdentityRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction: a first sign-in creates its user and link together, or neither. */
  transaction<T>(work: (tx: ExternalIdentityTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(bind(manager)));
  }

  findUserBySubject(provider: string, subject: string): Promise<UserEntity | null> {
    return bind(this.dataSource.manager).findUserBySubject(provider, subject);
  }

  async recordSignIn(provider: string, subject: string, at: Date): Promise<void> {
    await this.dataSource.query('UPDATE external_identities SET last_sign_in_at = $3 WHERE provider = $1 AND subject = $2', [provider, subject, at]);
  }

  async listOfUser(userId: string): Promise<ExternalIdentity[]> {
    const rows: { provider: string; subject: string; created_at: Date; last_sign_in_at: Date | null }[] = await this.dataSource.query(
      'SELECT provider, subject, created_at, last_sign_in_at FROM external_identities WHERE user_id = $1 ORDER BY provider',
      [userId],
    );
    return rows.map((row) => ({ provider: row.provider, subject: row.subject, linkedAt: row.created_at, lastSignInAt: row.last_sign_in_at }));
  }

  /** Unlinks unless it is the user's only way in (no password and no other link); says which happened. */
  async unlink(userId: string, provider: string): Promise<'unlinked' | 'not_linked' | 'only_way_in'> {
    return this.dataSource.transaction(async (manager) => {
      // Locks the user, so two unlinks at once cannot both leave the account with no way in.
      const [user] = (await manager.query('SELECT password_hash FROM users WHERE id = $1 FOR UPDATE', [userId])) as { password_hash: string | null }[];
      const links = (await manager.query('SELECT provider FROM external_identities WHERE user_id = $1', [userId])) as { provider: string }[];
      if (!links.some((link) => link.provider === provider)) return 'not_linked';
      if (!user?.password_hash && links.length === 1) return 'only_way_in';
      await manager.query('DELETE FROM external_identities WHERE user_id = $1 AND provider = $2', [userId, provider]);
      return 'unlinked';
    });
  }
}

function bind(manager: EntityManager): ExternalIdentityTransaction {
  return {
    findUserBySubject: (provider, subject) =>
      manager
        .getRepository(UserEntity)
        .createQueryBuilder('user')
        .innerJoin('external_identities', 'link', 'link.user_id = user.id')
        .where('link.provider = :provider AND link.subject = :subject', { provider, subject })
        .getOne(),
    link: async (userId, provider, subject, at) => {
      const inserted = (await manager.query(
        `INSERT INTO external_identities (id, user_id, provider, subject, created_at, last_sign_in_at) VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT DO NOTHING RETURNING id`,
        [randomUUID(), userId, provider, subject, at],
      )) as unknown[];
      return inserted.length === 1;
    },
    insertUser: async (user) => {
      await manager.getRepository(UserEntity).insert(user);
    },
    isUsernameTaken: async (username) => (await manager.getRepository(UserEntity).countBy({ username })) > 0,
    isEmailTaken: async (email) => (await manager.getRepository(UserEntity).countBy({ email })) > 0,
  };
}
