import { IsNull, MoreThan, type DataSource, type Repository } from 'typeorm';
import { AuthorizationCodeEntity } from '../entities/AuthorizationCodeEntity';
import { ClientConsentEntity } from '../entities/ClientConsentEntity';

export interface ConsentFilter {
  readonly userId?: string;
  readonly clientId?: string;
  readonly activeOnly?: boolean;
}

/** How a code presented for exchange stands: redeemed now (only once), or why not. */
export type CodeRedemption =
  | { readonly kind: 'redeemed'; readonly code: AuthorizationCodeEntity }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'used'; readonly code: AuthorizationCodeEntity };

/** Every query on client_consents and authorization_codes. */
export class ClientConsentRepository {
  private readonly consents: Repository<ClientConsentEntity>;
  private readonly codes: Repository<AuthorizationCodeEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.consents = dataSource.getRepository(ClientConsentEntity);
    this.codes = dataSource.getRepository(AuthorizationCodeEntity);
  }

  findActive(userId: string, clientId: string): Promise<ClientConsentEntity | null> {
    return this.consents.findOneBy({ userId, clientId, revokedAt: IsNull() });
  }

  findById(id: string): Promise<ClientConsentEntity | null> {
    return this.consents.findOneBy({ id });
  }

  find(filter: ConsentFilter): Promise<ClientConsentEntity[]> {
    return this.consents.find({
      where: {
        ...(filter.userId ? { userId: filter.userId } : {}),
        ...(filter.clientId ? { clientId: filter.clientId } : {}),
        ...(filter.activeOnly ? { revokedAt: IsNull() } : {}),
      },
      order: { grantedAt: 'DESC', id: 'ASC' },
      take: 500,
    });
  }

  /** Ids of consents revoked after `since`: tokens issued under them may still be unexpired. */
  async revokedSince(since: Date): Promise<string[]> {
    const rows = await this.consents.find({ select: { id: true }, where: { revokedAt: MoreThan(since) } });
    return rows.map((row) => row.id);
  }

  /**
   * Records an approval and its code in one transaction: the person's active consent for the client stays when it
   * names the same scopes, and is revoked and replaced when it names others (tokens under it then stop working).
   */
  async approve(consent: ClientConsentEntity, code: AuthorizationCodeEntity, now: Date): Promise<ClientConsentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const consents = manager.getRepository(ClientConsentEntity);
      // Serialises approvals of one person for one client, so two never leave two active consents.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`consent:${consent.userId}:${consent.clientId}`]);
      let kept = await consents.findOneBy({ userId: consent.userId, clientId: consent.clientId, revokedAt: IsNull() });
      if (kept && !sameScopes(kept.scopes, consent.scopes)) {
        await consents.update({ id: kept.id }, { revokedAt: now, revokedReason: 'replaced by an approval of other scopes' });
        kept = null;
      }
      if (!kept) {
        await consents.insert(consent);
        kept = consent;
      }
      await manager.getRepository(AuthorizationCodeEntity).insert({ ...code, consentId: kept.id });
      return kept;
    });
  }

  /** Inserts consents that do not exist yet (the demo's); existing ones stay as they are. */
  async insertMissing(consents: readonly ClientConsentEntity[]): Promise<void> {
    if (consents.length > 0) await this.consents.createQueryBuilder().insert().values([...consents]).orIgnore().execute();
  }

  findCode(codeHash: string): Promise<AuthorizationCodeEntity | null> {
    return this.codes.findOneBy({ codeHash });
  }

  /** Marks the code used, atomically: of two exchanges of one code at most one redeems it. */
  async redeem(codeHash: string, now: Date): Promise<CodeRedemption> {
    const result = await this.codes
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where('code_hash = :codeHash AND used_at IS NULL', { codeHash })
      .returning('code_hash')
      .execute();
    const code = await this.codes.findOneBy({ codeHash });
    if (!code) return { kind: 'unknown' };
    return (result.raw as unknown[]).length === 1 ? { kind: 'redeemed', code } : { kind: 'used', code };
  }

  /** Revokes one consent (the first revocation's time stays); null when there is none such. */
  async revoke(where: { id: string } | { userId: string; clientId: string }, reason: string, now: Date): Promise<ClientConsentEntity | null> {
    const active = 'id' in where ? await this.findById(where.id) : await this.findActive(where.userId, where.clientId);
    if (!active) return null;
    await this.consents.update({ id: active.id, revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason });
    return this.findById(active.id);
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.consents.update({ id }, { lastUsedAt: now });
  }
}

const sameScopes = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((scope, i) => scope === [...b].sort()[i]);
