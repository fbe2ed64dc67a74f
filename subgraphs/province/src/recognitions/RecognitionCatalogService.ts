import { z } from 'zod';
import { input, normaliseCardNumber, notFound, parseInput, provinceByCardNumber, type ProvinceDefinition, type Viewer } from '../../../../shared/src';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import { RECOGNITION_ITEM_CODES, tierMeets, type TalentTier } from '../domain/registryTypes';
import type { RecognitionEntity } from './RecognitionEntity';
import type { AuditRepository } from '../audit/AuditRepository';
import type { RecognitionRepository } from './RecognitionRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';

/** The repositories a catalogue change works with, in its transaction. */
export interface RecognitionTransaction {
  readonly recognitions: RecognitionRepository;
  readonly audit: AuditRepository;
}

/** `RecognitionItemInput` as GraphQL delivers it. */
export interface RecognitionItemInput {
  code: string;
  name: string;
  nameZh: string;
  provider: string;
  minimumTier: TalentTier;
  howToApply?: string | null;
}

/** What the issuer said about a partner card (the fields `recognizedServices` @requires). */
export interface PartnerCardCheck {
  readonly cardNumber: string;
  readonly tier: TalentTier | null;
  readonly status: string;
}

const itemCode = z.enum(RECOGNITION_ITEM_CODES, { message: `must be one of the eight recognised items: ${RECOGNITION_ITEM_CODES.join(', ')}` });

const itemSchema = z.object({
  code: itemCode,
  name: input.text(2, 200),
  nameZh: input.text(1, 200),
  provider: input.text(2, 200),
  minimumTier: z.enum(['A', 'B', 'C', 'D'], { message: 'must be one of A, B, C, D (A is the highest tier)' }),
  howToApply: input.optionalText(2000),
});

/**
 * This province's recognition catalogue: which of the eight items it grants
 * to holders of the partner's card, from which tier, and the record of each
 * verification that granted something.
 */
export class RecognitionCatalogService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly partner: ProvinceDefinition,
    private readonly recognitions: RecognitionRepository,
    private readonly unitOfWork: UnitOfWork<RecognitionTransaction>,
  ) {}

  /** Adds the item or changes it; returns the whole catalogue. */
  async setItem(admin: ProvinceAdmin, raw: RecognitionItemInput): Promise<RecognitionEntity[]> {
    const item = parseInput(itemSchema, raw, 'input');
    await this.unitOfWork.run(async (tx) => {
      const before = await tx.recognitions.lockForUpdate(item.code);
      await tx.recognitions.upsert(item);
      await tx.audit.record(admin, {
        action: before ? 'recognition.updated' : 'recognition.added',
        // Catalogue items have no global id: their code is their stable name.
        entityType: 'recognition',
        entityId: item.code,
        details: { ...(before ? { from: itemFields(before) } : {}), to: item },
      });
    });
    return this.recognitions.list();
  }

  /** Stops granting an item; returns the whole catalogue. */
  async removeItem(admin: ProvinceAdmin, rawCode: string): Promise<RecognitionEntity[]> {
    const code = parseInput(z.string().trim().pipe(z.string().max(40, { message: 'must be at most 40 characters' })), rawCode, 'code');
    await this.unitOfWork.run(async (tx) => {
      const before = await tx.recognitions.lockForUpdate(code);
      if (!before) {
        const granted = (await tx.recognitions.list()).map((row) => row.code);
        throw notFound(
          `${this.province.nameEn} does not grant "${code}" to ${this.partner.cardName} holders, so there is nothing to remove; it grants ${granted.length ? granted.join(', ') : 'nothing at the moment'}.`,
          { argument: 'code' },
        );
      }
      await tx.recognitions.delete(code);
      await tx.audit.record(admin, {
        action: 'recognition.removed',
        entityType: 'recognition',
        entityId: code,
        details: { from: itemFields(before) },
      });
    });
    return this.recognitions.list();
  }

  /**
   * This province's services for a partner card the issuer has checked:
   * nothing unless the issuer said VALID. A check that grants something is
   * recorded once per request.
   */
  async servicesFor(viewer: Viewer, requestId: string, card: PartnerCardCheck, catalog: readonly RecognitionEntity[]): Promise<RecognitionEntity[]> {
    // Only the partner's numbers: the representation comes from the gateway, but a direct caller could send anything.
    if (card.status !== 'VALID' || !card.tier || provinceByCardNumber(card.cardNumber)?.key !== this.partner.key) return [];
    const tier = card.tier;
    const granted = catalog.filter((row) => tierMeets(tier, row.minimumTier));
    if (granted.length > 0) {
      await this.recognitions.recordGrant({
        cardNumber: normaliseCardNumber(card.cardNumber),
        tier,
        services: granted.map((row) => row.code),
        requestId,
        verifiedBy: viewer.subject,
      });
    }
    return granted;
  }
}

const itemFields = (row: RecognitionEntity) => ({
  code: row.code,
  name: row.name,
  nameZh: row.nameZh,
  provider: row.provider,
  minimumTier: row.minimumTier,
  howToApply: row.howToApply,
});
