import { createHash, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import {
  DomainError, badUserInput, bigintIdCursor, cardCheckQrPayload, checkPageSize, clientIdOf, conflict, effectiveScopes, forbidden, newCardCode,
  normaliseCardNumber, notFound, parseCardCheckKey, parseCardCode, toConnection, type Connection, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { TalentCardEntity } from '../talentCards/TalentCardEntity';
import type { TalentCardRepository } from '../talentCards/TalentCardRepository';
import { isCardValid, verificationStatus } from '../talentCards/talentCardRules';
import type { CardCheckEntity, CardCheckMethod } from './CardCheckEntity';
import { CardCodeEntity } from './CardCodeEntity';
import type { CardCheckRepository } from './CardCheckRepository';
import { DEFAULT_CARD_CODE_SETTINGS, type CardCodeSettings } from './cardCodeSettings';

/** What this feature reads and writes. */
export interface CardCheckRepositories {
  readonly cardChecks: CardCheckRepository;
  readonly talentCards: TalentCardRepository;
}

/** A code as the holder gets it. */
export interface HolderCode {
  readonly code: string;
  readonly cardNumber: string;
  readonly expiresAt: Date;
  readonly qrPayload: string;
  readonly qrSvg: string;
}

/** Why a check by code is refused: each is the check log's result and the error's `extensions.reason`. */
export type CodeRefusal = 'CODE_UNKNOWN' | 'CODE_EXPIRED' | 'CODE_ALREADY_USED' | 'CODE_OF_ANOTHER_CARD';

/** SHA-256 is enough for a value with 50 random bits that lives minutes and is used once: the database never holds the code itself. */
const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * Checks of this province's cards bound to their holder. The holder gets a short-lived code for their own card;
 * a provider checks the card with it, once: the check that uses it learns the holder's name, any later one is
 * refused. A bare card number still answers whether the card is valid, never whose it is. Every check, refused
 * ones included, is written to the check log this province's admins read.
 */
export class CardCheckService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly repositories: CardCheckRepositories,
    private readonly settings: CardCodeSettings = DEFAULT_CARD_CODE_SETTINGS,
  ) {}

  /** A new code for the signed-in person's own valid card of this province. */
  async createCode(viewer: Viewer, now = new Date()): Promise<HolderCode> {
    const { cardName } = this.province;
    if (viewer.kind !== 'user') throw forbidden(`Only a card's holder, signed in as themselves, gets a code for their ${cardName}.`);
    const [card] = await this.repositories.talentCards.findByHolderIds([viewer.subject]);
    if (!card) throw forbidden(`You hold no ${cardName}: ${this.province.nameEn} issues it, and a code is only for its holder.`, { reason: 'NO_CARD' });
    if (!isCardValid(card, now)) {
      throw conflict(`Your ${cardName} ${card.cardNumber} is ${verificationStatus(card, now).toLowerCase()}, so no provider would accept a code for it; ask ${this.province.nameEn} to renew it.`, {
        reason: 'CARD_NOT_VALID', cardNumber: card.cardNumber,
      });
    }
    const code = newCardCode(this.province);
    const expiresAt = new Date(now.getTime() + this.settings.ttlSeconds * 1000);
    await this.repositories.cardChecks.insertCode(Object.assign(new CardCodeEntity(), {
      id: randomUUID(), cardId: card.id, codeHash: hashCode(code), createdAt: now, expiresAt, usedAt: null, usedRequestId: null, usedBy: null,
    }));
    const qrPayload = cardCheckQrPayload(this.province, code);
    return { code, cardNumber: card.cardNumber, expiresAt, qrPayload, qrSvg: await QRCode.toString(qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
  }

  /**
   * The card a holder's code names, using the code up. `key` is the code, and the card number the provider gave
   * when it gave one. A request the gateway retries is answered again; anyone else is refused.
   */
  async checkByCode(viewer: Viewer, requestId: string, key: string, now = new Date()): Promise<TalentCardEntity> {
    requireCardVerify(viewer);
    const { code: typed, cardNumber } = parseCardCheckKey(key);
    const parsed = parseCardCode(typed);
    if (!parsed || parsed.issuer.key !== this.province.key) {
      throw badUserInput(`"${typed.slice(0, 20)}" is not a code of a ${this.province.cardName}: they read like ${this.province.idPrefix.toUpperCase()}-XXXXX-XXXXX.`, { argument: 'code' });
    }
    const hash = hashCode(parsed.code);
    const stored = await this.repositories.cardChecks.findCode(hash);
    const refuse = (reason: CodeRefusal) => this.refuse(viewer, requestId, stored?.cardNumber ?? null, reason);
    if (!stored) throw await refuse('CODE_UNKNOWN');
    if (cardNumber !== null && normaliseCardNumber(cardNumber) !== stored.cardNumber) throw await refuse('CODE_OF_ANOTHER_CARD');
    const { code } = stored;
    const retried = code.usedAt !== null && code.usedRequestId === requestId;
    if (!retried) {
      if (code.usedAt !== null) throw await refuse('CODE_ALREADY_USED');
      if (code.expiresAt <= now) throw await refuse('CODE_EXPIRED');
      // Another check may have used it since it was read: only the UPDATE decides.
      if (!(await this.repositories.cardChecks.use(hash, requestId, viewer.subject, now))) throw await refuse('CODE_ALREADY_USED');
    }
    const [card] = await this.repositories.talentCards.findByIds([code.cardId]);
    if (!retried) await this.log(viewer, requestId, 'CODE', card!.cardNumber, verificationStatus(card!, now));
    return card!;
  }

  /** Records a check by bare number (which answers validity only). */
  async recordNumberCheck(viewer: Viewer, requestId: string, cardNumber: string, card: TalentCardEntity | null, now = new Date()): Promise<void> {
    await this.log(viewer, requestId, 'NUMBER', cardNumber, verificationStatus(card, now));
  }

  /** The check log, newest first; for one card number when given. */
  async page(cardNumber: string | null | undefined, first: number, after: string | null | undefined): Promise<Connection<CardCheckEntity>> {
    const number = cardNumber ? normaliseCardNumber(cardNumber) : undefined;
    const { rows, hasNextPage } = await this.repositories.cardChecks.findChecks(number, checkPageSize(first), bigintIdCursor.decode(after) ?? undefined);
    return toConnection(rows, hasNextPage, (row) => bigintIdCursor.encode(row.id));
  }

  private async refuse(viewer: Viewer, requestId: string, cardNumber: string | null, reason: CodeRefusal): Promise<DomainError> {
    await this.log(viewer, requestId, 'CODE', cardNumber, reason);
    const ask = 'ask the holder for a new code (it is shown under their card)';
    switch (reason) {
      case 'CODE_UNKNOWN':
        return notFound(`No ${this.province.cardName} has this code: ${ask}.`, { reason, argument: 'code' });
      case 'CODE_EXPIRED':
        return badUserInput(`This code has expired (codes last ${this.settings.ttlSeconds} seconds): ${ask}.`, { reason, argument: 'code' });
      case 'CODE_ALREADY_USED':
        return conflict(`This code was already used for a check, and a code is good for one check only: ${ask}.`, { reason, argument: 'code' });
      case 'CODE_OF_ANOTHER_CARD':
        return badUserInput(`This code belongs to another card than the number given: check the number, or ${ask}.`, { reason, argument: 'code' });
      default: {
        const unhandled: never = reason;
        throw new Error(`no refusal for ${String(unhandled)}`);
      }
    }
  }

  private async log(viewer: Viewer, requestId: string, method: CardCheckMethod, cardNumber: string | null, result: string): Promise<void> {
    await this.repositories.cardChecks.recordCheck({
      checkedAt: new Date(),
      method,
      cardNumber,
      result,
      actorKind: viewer.kind,
      actorId: viewer.subject,
      actorName: viewer.displayName,
      clientId: clientIdOf(viewer),
      askerProvince: viewer.province,
      requestId,
    });
  }
}

/** The entity's fields are guarded by the SDL, but the code is used up before any field resolves: check first. */
function requireCardVerify(viewer: Viewer): void {
  if (!effectiveScopes(viewer).has('card:verify')) {
    throw forbidden('Checking a talent card needs the scope card:verify, which this token does not carry (a province grants it to service providers).');
  }
}
