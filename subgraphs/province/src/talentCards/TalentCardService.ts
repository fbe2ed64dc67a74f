import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badUserInput, chinaDay, conflict, decodeOwnGlobalId, encodeGlobalId, input, isUuid, notFound, parseInput,
  type ProvinceDefinition,
} from '../../../../shared/src';
import { requireKnownPerson, type PlatformPeople } from '../domain/platformPeople';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import type { TalentTier } from '../domain/registryTypes';
import { addYears, CARD_MAX_YEARS, formatCardNumber, maskCardNumber } from './talentCardRules';
import { TalentCardEntity } from './TalentCardEntity';
import type { AuditRepository } from '../audit/AuditRepository';
import type { OutboxRepository } from '../events/OutboxRepository';
import type { TalentCardRepository } from './TalentCardRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';

/** The repositories a card change works with, in its transaction. */
export interface TalentCardTransaction {
  readonly talentCards: TalentCardRepository;
  readonly audit: AuditRepository;
  readonly events: Pick<OutboxRepository, 'record'>;
}

/** `IssueTalentCardInput` as GraphQL delivers it (DateTime already parsed). */
export interface IssueTalentCardInput {
  holderName: string;
  holderUserId?: string | null;
  tier: TalentTier;
  field?: string | null;
  employer?: string | null;
  validUntil: Date;
}

const tier = z.enum(['A', 'B', 'C', 'D'], { message: 'must be one of A, B, C, D (A is the highest tier)' });

/**
 * The last day of validity, as its calendar day in UTC+8: after now and at most
 * ten years ahead. Built per call because "now" is part of the rule.
 */
function validUntilSchema(now: Date) {
  const latest = addYears(chinaDay(now), CARD_MAX_YEARS);
  return z
    .date()
    .refine((date) => date.getTime() > now.getTime(), { message: 'must be in the future' })
    .transform(chinaDay)
    .refine((day) => day <= latest, { message: `must be within ${CARD_MAX_YEARS} years, on or before ${latest}` });
}

function issueSchema(now: Date) {
  return z.object({
    holderName: input.text(2, 120),
    holderUserId: z
      .string()
      .nullish()
      .refine((id) => id == null || isUuid(id), { message: "must be the holder's platform user id (a UUID), or null when they have no account" })
      .transform((id) => id?.toLowerCase() ?? null),
    tier,
    field: input.optionalText(120),
    employer: input.optionalText(200),
    validUntil: validUntilSchema(now),
  });
}

/**
 * The life of this province's talent cards: issue, renew, revoke. Each change
 * and its audit record commit in one transaction; renewals and revocations
 * lock the card first, so two admins acting at once are decided in turn.
 */
export class TalentCardService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly unitOfWork: UnitOfWork<TalentCardTransaction>,
    /** The platform, asked whether a holder named by their user id has an account. */
    private readonly people: PlatformPeople,
  ) {}

  async issue(admin: ProvinceAdmin, raw: IssueTalentCardInput, now = new Date()): Promise<TalentCardEntity> {
    const request = parseInput(issueSchema(now), raw, 'input');
    if (request.holderUserId !== null) {
      // The holder signs in with that account to show the card and get its codes: asked before anything is written.
      await requireKnownPerson(this.people, request.holderUserId, {
        argument: 'input.holderUserId', record: this.province.cardName, reason: 'UNKNOWN_HOLDER',
        hint: "Give the holder's platform user id (as in me { id }), or leave holderUserId out for a holder who has no account yet.",
      });
    }
    const issuedOn = chinaDay(now);
    return this.unitOfWork.run(async (tx) => {
      const card = Object.assign(new TalentCardEntity(), {
        id: randomUUID(),
        cardNumber: formatCardNumber(this.province, issuedOn, await tx.talentCards.nextNumberSerial()),
        tier: request.tier,
        holderUserId: request.holderUserId,
        holderName: request.holderName,
        field: request.field,
        employer: request.employer,
        issuedOn,
        validUntil: request.validUntil,
        status: 'ACTIVE' as const,
        revokedReason: null,
      });
      await tx.talentCards.insert(card);
      await tx.audit.record(admin, {
        action: 'talentcard.issued',
        entityType: 'talentcard',
        entityId: this.globalId(card.id),
        details: { cardNumber: card.cardNumber, tier: card.tier, validUntil: card.validUntil, holderUserId: card.holderUserId },
      });
      tx.events.record({ type: 'talentCard.issued', entityId: this.globalId(card.id), state: cardState(card) });
      return card;
    });
  }

  /** Extends a card (and may change its tier); it is ACTIVE afterwards. A revoked card stays revoked. */
  async renew(admin: ProvinceAdmin, id: string, validUntil: Date, newTier: TalentTier | null | undefined, now = new Date()): Promise<TalentCardEntity> {
    const cardId = decodeOwnGlobalId(id, 'talentcard', this.province).localId;
    const lastDay = parseInput(validUntilSchema(now), validUntil, 'validUntil');
    const changedTier = parseInput(tier.nullish(), newTier, 'tier');
    return this.unitOfWork.run(async (tx) => {
      const card = await this.lockCard(tx.talentCards, cardId, id);
      if (card.status === 'REVOKED') {
        throw conflict(
          `Card ${card.cardNumber} was revoked${card.revokedReason ? ` (${card.revokedReason})` : ''} and cannot be renewed; issue a new card instead.`,
          { cardNumber: card.cardNumber },
        );
      }
      if (lastDay < card.validUntil) {
        throw badUserInput(
          `validUntil: must not be before the card's current last day, ${card.validUntil}; renewing extends a card (revoke it to end it early).`,
          { fields: [{ path: 'validUntil', message: `must be on or after ${card.validUntil}` }] },
        );
      }
      const changes = { validUntil: lastDay, tier: changedTier ?? card.tier, status: 'ACTIVE' as const };
      await tx.talentCards.update(cardId, changes);
      await tx.audit.record(admin, {
        action: 'talentcard.renewed',
        entityType: 'talentcard',
        entityId: this.globalId(cardId),
        details: {
          cardNumber: card.cardNumber,
          from: { validUntil: card.validUntil, tier: card.tier, status: card.status },
          to: changes,
        },
      });
      const renewed = Object.assign(card, changes);
      tx.events.record({ type: 'talentCard.renewed', entityId: this.globalId(cardId), state: cardState(renewed) });
      return renewed;
    });
  }

  async revoke(admin: ProvinceAdmin, id: string, reason: string): Promise<TalentCardEntity> {
    const cardId = decodeOwnGlobalId(id, 'talentcard', this.province).localId;
    const why = parseInput(input.text(5, 500), reason, 'reason');
    return this.unitOfWork.run(async (tx) => {
      const card = await this.lockCard(tx.talentCards, cardId, id);
      if (card.status === 'REVOKED') {
        throw conflict(`Card ${card.cardNumber} is already revoked (${card.revokedReason ?? 'no reason recorded'}); nothing was changed.`, {
          cardNumber: card.cardNumber,
        });
      }
      const changes = { status: 'REVOKED' as const, revokedReason: why };
      await tx.talentCards.update(cardId, changes);
      await tx.audit.record(admin, {
        action: 'talentcard.revoked',
        entityType: 'talentcard',
        entityId: this.globalId(cardId),
        details: { cardNumber: card.cardNumber, from: card.status, reason: why },
      });
      // What verifyTalentCard answers about the card anyway; the reason stays with the admins.
      tx.events.record({ type: 'talentCard.revoked', entityId: this.globalId(cardId), state: cardState({ ...card, ...changes }) });
      return Object.assign(card, changes);
    });
  }

  private async lockCard(cards: TalentCardRepository, cardId: string, id: string): Promise<TalentCardEntity> {
    const card = await cards.lockForUpdate(cardId);
    if (!card) throw notFound(`No ${this.province.cardName} has the id ${id}; look the card up by number under ${this.province.key} { talentCard(cardNumber:) }.`, { argument: 'id' });
    return card;
  }

  private globalId(cardId: string): string {
    return encodeGlobalId(this.province, 'talentcard', cardId);
  }
}

/**
 * What an event says of a card (its id is the event's entityId): what verifyTalentCard answers about a number anyway,
 * and the number masked. Never its holder, employer or why it was revoked, and never the whole number: a partner
 * checks a number the holder showed it, and an event feed carrying every number would hand each card:verify client
 * the province's register of cards to check, unasked by any holder.
 */
function cardState(card: Pick<TalentCardEntity, 'cardNumber' | 'tier' | 'status' | 'validUntil'>) {
  return { maskedCardNumber: maskCardNumber(card.cardNumber), tier: card.tier, status: card.status, validUntil: String(card.validUntil) };
}
