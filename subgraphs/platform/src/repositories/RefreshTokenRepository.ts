import { IsNull, MoreThan, type DataSource, type EntityManager, type Repository } from 'typeorm';
import { RefreshTokenEntity } from '../entities/RefreshTokenEntity';
import type { UserEntity } from '../entities/UserEntity';

export interface NewRefreshToken {
  readonly id: string;
  readonly familyId: string;
  readonly userId: string;
  readonly tokenHash: string;
  readonly expiresAt: Date;
}

/** A presented token, row-locked until the transaction around it ends, and what a refresh may do with it. */
export interface LockedRefreshToken {
  readonly token: RefreshTokenEntity;
  readonly user: UserEntity;
  markUsed(at: Date): Promise<void>;
  insertSuccessor(next: NewRefreshToken): Promise<void>;
  revokeFamily(at: Date): Promise<void>;
}

/** Every query on the refresh_tokens table. */
export class RefreshTokenRepository {
  private readonly tokens: Repository<RefreshTokenEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.tokens = dataSource.getRepository(RefreshTokenEntity);
  }

  async insert(token: NewRefreshToken): Promise<void> {
    await this.tokens.insert(toRow(token));
  }

  /**
   * Runs `work` in one transaction that holds the row lock (SELECT … FOR
   * UPDATE) of the token with this hash; `work` gets null when there is none.
   * A second refresh with the same token waits here until the first commits,
   * then sees the token already used: two refreshes can never both succeed.
   * `work` should return its outcome rather than throw: throwing rolls back
   * whatever it wrote (e.g. the revocation of a family).
   */
  withLockedToken<T>(tokenHash: string, work: (locked: LockedRefreshToken | null) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const token = await manager
        .getRepository(RefreshTokenEntity)
        .createQueryBuilder('t')
        .innerJoinAndSelect('t.user', 'u')
        .where('t.tokenHash = :tokenHash', { tokenHash })
        .setLock('pessimistic_write', undefined, ['t'])
        .getOne();
      if (!token?.user) return work(null);
      const { user } = token;
      return work({
        token,
        user,
        markUsed: async (at) => {
          await manager.update(RefreshTokenEntity, { id: token.id }, { usedAt: at });
        },
        insertSuccessor: async (next) => {
          await manager.insert(RefreshTokenEntity, toRow(next));
        },
        revokeFamily: async (at) => {
          await revokeFamily(manager, token.familyId, at);
        },
      });
    });
  }

  /** Ends the session the token belongs to; false when no token has this hash. */
  async revokeFamilyOf(tokenHash: string, at: Date): Promise<boolean> {
    const token = await this.tokens.findOneBy({ tokenHash });
    if (!token) return false;
    await revokeFamily(this.dataSource.manager, token.familyId, at);
    return true;
  }

  /** Ends every session of the user; returns how many were still usable. */
  revokeAllOfUser(userId: string, at: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const active = await manager
        .getRepository(RefreshTokenEntity)
        .createQueryBuilder('t')
        .select('COUNT(DISTINCT t.familyId)', 'count')
        .where({ userId, usedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(at) })
        .getRawOne<{ count: string }>();
      await manager.update(RefreshTokenEntity, { userId, revokedAt: IsNull() }, { revokedAt: at });
      return Number(active?.count ?? 0);
    });
  }
}

async function revokeFamily(manager: EntityManager, familyId: string, at: Date): Promise<void> {
  await manager.update(RefreshTokenEntity, { familyId, revokedAt: IsNull() }, { revokedAt: at });
}

function toRow(token: NewRefreshToken): Partial<RefreshTokenEntity> {
  return { ...token, usedAt: null, revokedAt: null };
}
