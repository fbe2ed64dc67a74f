import type { EntityManager, Repository } from 'typeorm';
import type { TalentTier } from '../domain/registryTypes';
import { RecognitionEntity } from './RecognitionEntity';
import { RecognitionGrantEntity } from './RecognitionGrantEntity';
import { ServiceDeliveryEntity } from './ServiceDeliveryEntity';

export interface RecognitionGrant {
  readonly cardNumber: string;
  readonly tier: TalentTier;
  readonly services: readonly string[];
  readonly requestId: string;
  readonly verifiedBy: string;
}

export type RecognitionItem = Pick<RecognitionEntity, 'code' | 'name' | 'nameZh' | 'provider' | 'minimumTier' | 'howToApply'>;

/** The recognition catalogue (what this province grants to holders of the partner's card) and the grants it made. */
export class RecognitionRepository {
  private readonly catalog: Repository<RecognitionEntity>;
  private readonly grants: Repository<RecognitionGrantEntity>;
  private readonly deliveries: Repository<ServiceDeliveryEntity>;

  constructor(manager: EntityManager) {
    this.catalog = manager.getRepository(RecognitionEntity);
    this.grants = manager.getRepository(RecognitionGrantEntity);
    this.deliveries = manager.getRepository(ServiceDeliveryEntity);
  }

  findItem(code: string): Promise<RecognitionEntity | null> {
    return this.catalog.findOneBy({ code });
  }

  findDelivery(actorId: string, idempotencyKey: string): Promise<ServiceDeliveryEntity | null> {
    return this.deliveries.findOneBy({ actorId, idempotencyKey });
  }

  /** Records a delivery unless the provider already recorded one under its key (two at once: one row); answers the row kept. */
  async recordDelivery(delivery: ServiceDeliveryEntity): Promise<ServiceDeliveryEntity> {
    await this.deliveries.createQueryBuilder().insert().values({ ...delivery }).orIgnore().execute();
    return (await this.findDelivery(delivery.actorId, delivery.idempotencyKey))!;
  }

  list(): Promise<RecognitionEntity[]> {
    return this.catalog.find({ order: { code: 'ASC' } });
  }

  /** One item, locked until the transaction ends so its audit record shows the state it replaced. */
  lockForUpdate(code: string): Promise<RecognitionEntity | null> {
    return this.catalog.findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
  }

  /** Adds the item or replaces every field of the one with the same code. */
  async upsert(item: RecognitionItem): Promise<void> {
    await this.catalog
      .createQueryBuilder()
      .insert()
      .values(item)
      .orUpdate(['name', 'name_zh', 'provider', 'minimum_tier', 'how_to_apply', 'updated_at'], ['code'])
      .execute();
  }

  async delete(code: string): Promise<void> {
    await this.catalog.delete({ code });
  }

  /**
   * Records that services were granted to a partner card. The gateway may
   * retry a fetch; (request_id, card_number) is unique, so one request counts
   * once however often it arrives.
   */
  async recordGrant(grant: RecognitionGrant): Promise<void> {
    await this.grants
      .createQueryBuilder()
      .insert()
      .values({ ...grant, services: [...grant.services] })
      .orIgnore()
      .execute();
  }
}
