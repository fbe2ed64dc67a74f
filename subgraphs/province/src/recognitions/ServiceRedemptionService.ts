import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badUserInput, clientIdOf, conflict, forbidden, input, isProvinceAdmin, normaliseCardNumber, notFound, parseCardCode, parseInput,
  type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { ClientGrantService } from '../clientGrants/ClientGrantService';
import type { CallerHeaders } from '../domain/askGateway';
import { RECOGNITION_ITEM_CODES, tierMeets } from '../domain/registryTypes';
import type { TierRepository } from '../talentCards/TierRepository';
import type { PartnerCardChecker } from './PartnerCardChecker';
import type { RecognitionRepository } from './RecognitionRepository';
import { ServiceDeliveryEntity } from './ServiceDeliveryEntity';

/** `redeem<Province>RecognizedService`'s arguments. */
export interface RedeemArgs {
  code: string;
  cardNumber?: string | null;
  item: string;
  idempotencyKey: string;
}

const argsSchema = z.object({
  code: z.string().max(64, { message: 'must be at most 64 characters' }),
  cardNumber: z.string().trim().max(40, { message: 'must be at most 40 characters' }).nullish().transform((value) => (value ? normaliseCardNumber(value) : null)),
  item: z.enum(RECOGNITION_ITEM_CODES, { message: `must be one of the eight recognised items: ${RECOGNITION_ITEM_CODES.join(', ')}` }),
  idempotencyKey: input.idempotencyKey(),
});

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * Deliveries of this province's recognised services to holders of the partner's card. The provider redeems an item
 * with the holder's code: the issuer checks the card (and uses the code up), this province checks that the provider
 * delivers that item and that the card's tier is entitled to it, and records one delivery per provider key. Stats
 * count these, not look-ups.
 */
export class ServiceRedemptionService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly partner: ProvinceDefinition,
    private readonly recognitions: RecognitionRepository,
    private readonly grants: Pick<ClientGrantService, 'find'>,
    private readonly cards: PartnerCardChecker,
    private readonly tiers: Pick<TierRepository, 'partnerMapping'>,
  ) {}

  async redeem(viewer: Viewer, caller: CallerHeaders, raw: RedeemArgs): Promise<ServiceDeliveryEntity> {
    const args = parseInput(argsSchema, raw, 'arguments');
    const code = parseCardCode(args.code);
    if (!code || code.issuer.key !== this.partner.key) {
      throw badUserInput(`code: ${this.province.nameEn} redeems its services for ${this.partner.cardName} holders; their codes read like ${this.partner.idPrefix.toUpperCase()}-XXXXX-XXXXX.`, {
        argument: 'code',
      });
    }
    await this.requireDeliverer(viewer, args.item);
    const codeHash = hashCode(code.code);
    const earlier = await this.recognitions.findDelivery(viewer.subject, args.idempotencyKey);
    if (earlier) return this.sameRedemption(earlier, args.item, codeHash);

    const item = await this.recognitions.findItem(args.item);
    if (!item) throw notFound(`${this.province.nameEn} does not grant ${args.item} to ${this.partner.cardName} holders at the moment.`, { argument: 'item' });
    const card = await this.cards.check(code.code, args.cardNumber, caller);
    if (card.status !== 'VALID' || !card.tier) {
      throw conflict(`The ${this.partner.cardName} ${card.cardNumber} is ${card.status.toLowerCase()}: it is entitled to no service; nothing was recorded.`, {
        reason: 'CARD_NOT_VALID', cardNumber: card.cardNumber,
      });
    }
    // The partner's tier counts here as this province's mapping says.
    const ownTier = (await this.tiers.partnerMapping()).find((row) => row.partnerTier === card.tier)?.ownTier ?? card.tier;
    if (!tierMeets(ownTier, item.minimumTier)) {
      throw forbidden(`${item.name} is granted from ${this.province.nameEn}'s tier ${item.minimumTier}; this card (${this.partner.nameEn} tier ${card.tier}) counts as tier ${ownTier} here, so it is not entitled to it; nothing was recorded.`, {
        reason: 'NOT_ENTITLED', cardNumber: card.cardNumber,
      });
    }
    const kept = await this.recognitions.recordDelivery(Object.assign(new ServiceDeliveryEntity(), {
      id: randomUUID(),
      itemCode: args.item,
      cardNumber: card.cardNumber,
      cardTier: card.tier,
      codeHash,
      actorId: viewer.subject,
      actorName: viewer.displayName,
      clientId: clientIdOf(viewer),
      idempotencyKey: args.idempotencyKey,
      requestId: caller.requestId,
      deliveredAt: new Date(),
    }));
    return this.sameRedemption(kept, args.item, codeHash);
  }

  /** A provider client redeems only the items this province registered it for; a person only as this province's admin (staff at a counter). */
  private async requireDeliverer(viewer: Viewer, item: string): Promise<void> {
    const clientId = clientIdOf(viewer);
    if (clientId === null) {
      if (!isProvinceAdmin(viewer, this.province.key)) {
        throw forbidden(`Only ${this.province.nameEn}'s service providers (partner clients it registered for the item) and its admins record deliveries.`);
      }
      return;
    }
    const delivered = (await this.grants.find(clientId))?.recognitionItems ?? [];
    if (!delivered.includes(item)) {
      throw forbidden(`${this.province.nameEn} registered this client for ${delivered.length ? delivered.join(', ') : 'no recognition item'}, not ${item}; a ${this.province.nameEn} admin registers the items a provider delivers.`, {
        reason: 'ITEM_NOT_REGISTERED',
      });
    }
  }

  /** The same key with another item or code is another redemption: refused, naming what differs. */
  private sameRedemption(delivery: ServiceDeliveryEntity, item: string, codeHash: string): ServiceDeliveryEntity {
    const differingFields = [...(delivery.itemCode !== item ? ['item'] : []), ...(delivery.codeHash !== codeHash ? ['code'] : [])];
    if (differingFields.length > 0) {
      throw conflict(`This idempotencyKey already recorded a delivery with another ${differingFields.join(' and ')}; use a new key for a new delivery.`, {
        reason: 'IDEMPOTENCY_KEY_REUSED', differingFields,
      });
    }
    return delivery;
  }
}
