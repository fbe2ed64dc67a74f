import { In, type DataSource, type Repository } from 'typeorm';
import { alignByKey, type AffiliationKind } from '../../../../shared/src';
import { UserEntity, type UserLocale } from '../entities/UserEntity';

/** Every query on the users table. */
export class UserRepository {
  private readonly users: Repository<UserEntity>;

  constructor(dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** One query for any number of ids; the result follows the order of `ids`, null where missing. */
  async findByIds(ids: readonly string[]): Promise<(UserEntity | null)[]> {
    return alignByKey(ids, await this.users.findBy({ id: In([...ids]) }), (row) => row.id);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email });
  }

  /**
   * Deletes self-registered accounts whose address was never verified and which were made before `before`, with
   * what hangs on them (their unused tokens); never one verified since, nor one linked to a provider identity.
   * Answers the usernames deleted.
   */
  async deleteUnverifiedRegistrations(before: Date): Promise<string[]> {
    const rows: { username: string }[] = await this.users.query(
      // Through a CTE: TypeORM answers a bare DELETE … RETURNING as [rows, count].
      `WITH purged AS (
         DELETE FROM users u
         WHERE u.requires_email_verification AND u.email_verified_at IS NULL AND u.created_at < $1
           AND NOT EXISTS (SELECT 1 FROM external_identities x WHERE x.user_id = u.id)
         RETURNING u.username)
       SELECT username FROM purged ORDER BY username`,
      [before],
    );
    return rows.map((row) => row.username);
  }

  /** Inserts one account; false when its username or e-mail address is taken (a registration racing another). */
  async insertIfFree(user: UserEntity): Promise<boolean> {
    const result = await this.users.createQueryBuilder().insert().values(user).orIgnore().returning('id').execute();
    return (result.raw as unknown[]).length === 1;
  }

  /** Sets a user's affiliation; null when there is no such user. */
  async updateAffiliation(id: string, institution: string | null, affiliation: AffiliationKind | null, verified: boolean): Promise<UserEntity | null> {
    const result = await this.users.update({ id }, { institution, affiliation, affiliationVerified: verified });
    return result.affected ? this.findById(id) : null;
  }

  /** Sets a person's mail language and whether they are mailed about their bookings and requests; null when there is no such user. */
  async updateMailSettings(id: string, settings: { locale?: UserLocale; mailNotifications?: boolean }): Promise<UserEntity | null> {
    if (Object.keys(settings).length === 0) return this.findById(id);
    const result = await this.users.update({ id }, settings);
    return result.affected ? this.findById(id) : null;
  }

  /** Inserts accounts that do not exist yet; existing ones are left exactly as they are. */
  async insertMissing(users: readonly UserEntity[]): Promise<number> {
    // Only rows PostgreSQL inserted come back from `ON CONFLICT DO NOTHING … RETURNING` (TypeORM's identifiers list every id given).
    const result = await this.users.createQueryBuilder().insert().values([...users]).orIgnore().returning('id').execute();
    return (result.raw as unknown[]).length;
  }
}
