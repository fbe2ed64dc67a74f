import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  conflict, decodeGlobalId, DomainError, forbidden, input, parseInput, type DomainErrorCode, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import { withArgument } from '../domain/registryChanges';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import type { ChargeLedger } from './ChargeLedger';
import { IssuerRefusal, IssuerUnreachable, type IssuerHold, type VoucherIssuer } from './VoucherIssuerClient';
import type { RedemptionState, VoucherRedemptionEntity } from './VoucherRedemptionEntity';
import type { VoucherRedemptionRepository } from './VoucherRedemptionRepository';
import { chargeRef, fenAmount } from './voucherRules';

/** The repositories a redemption step works with, in its transaction. */
export interface RedemptionTransaction {
  readonly redemptions: VoucherRedemptionRepository;
}

/** `pay<P>ChargeWithVoucher`'s arguments. */
export interface PayWithVoucherArgs {
  chargeRef: string;
  chargeAmountFen: number;
  voucherId: string;
  amountFen: number;
  idempotencyKey: string;
}

export interface RedemptionOptions {
  /** How long the issuer holds the amount uncaptured before releasing it itself. */
  readonly holdSeconds: number;
}

const paySchema = z.object({
  chargeRef,
  chargeAmountFen: fenAmount('the whole charge'),
  amountFen: fenAmount('the part the voucher pays'),
  idempotencyKey: input.idempotencyKey(),
}).refine((value) => value.amountFen <= value.chargeAmountFen, { message: 'must not be more than chargeAmountFen', path: ['amountFen'] });

/** The states a redemption may move to each state from: the issuer's decided outcomes (and a refusal after a hold) stay. */
const MOVES_FROM: Record<RedemptionState, readonly RedemptionState[]> = {
  INTENDED: [], RESERVED: ['INTENDED'], CAPTURED: ['INTENDED', 'RESERVED'], RELEASED: ['INTENDED', 'RESERVED'], REFUSED: ['INTENDED'],
};

/**
 * The serving side of paying part of a charge with a voucher (VoucherRedemption): it writes its intent
 * first (a redemption row, and with it the charge's pending voucher part, under the charge's lock), then asks the issuer
 * through the gateway to reserve, records the answer, and captures. When the issuer refuses, the part is
 * released; when the issuer cannot be reached, the hold is released (or, if that fails too, left for
 * `resume`). Each recorded step moves the row on in one conditional statement, only from a state it may move from,
 * so a live request and a restarted process resuming the same row agree: the issuer decides every outcome, and both
 * record it.
 */
export class VoucherRedemptionService<TTransaction extends RedemptionTransaction> {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly unitOfWork: UnitOfWork<TTransaction>,
    private readonly ledger: ChargeLedger<TTransaction>,
    private readonly issuer: VoucherIssuer,
    private readonly options: RedemptionOptions,
    /** The redemptions outside any transaction: a step that is one statement commits by itself. */
    private readonly redemptions: VoucherRedemptionRepository,
  ) {}

  async pay(viewer: Viewer, args: PayWithVoucherArgs, authorization: string | undefined): Promise<VoucherRedemptionEntity> {
    if (viewer.kind !== 'user') throw forbidden("Only a voucher's holder may pay with it: sign in as that person.");
    const request = parseInput(paySchema, args, 'arguments');
    let voucher: ReturnType<typeof decodeGlobalId>;
    try {
      voucher = decodeGlobalId(args.voucherId, 'voucher');
    } catch (error) {
      throw withArgument(error, 'voucherId');
    }
    const voucherId = `${voucher.province.idPrefix}:voucher:${voucher.localId}`;
    const redemption = await this.unitOfWork.run(async (tx) => {
      await tx.redemptions.lockKey(viewer.subject, request.idempotencyKey);
      const existing = await tx.redemptions.findByKey(viewer.subject, request.idempotencyKey);
      if (existing) return sameRequest(existing, { ...request, voucherId });
      const { chargeId, dueFen } = await this.ledger.amountDue(tx, request.chargeRef, request.chargeAmountFen, viewer.subject);
      if (request.amountFen > dueFen) {
        throw conflict(`Charge ${request.chargeRef} has ${dueFen} fen left to pay by voucher; ask for at most that.`, { reason: 'AMOUNT_DUE', dueFen });
      }
      const row: VoucherRedemptionEntity = {
        id: randomUUID(), userId: viewer.subject, idempotencyKey: request.idempotencyKey, chargeRef: request.chargeRef, chargeId, voucherId,
        issuer: voucher.province.key, amountFen: request.amountFen, chargeAmountFen: request.chargeAmountFen, state: 'INTENDED',
        holdId: null, issuerCapturedAt: null, failure: null, createdAt: new Date(), updatedAt: new Date(),
      };
      // Its charge's pending voucher part grows in the same statement (ChargeVoucherPartsFollowPayments).
      await tx.redemptions.insert(row);
      return row;
    });
    return this.advance(redemption, authorization);
  }

  /** Redemptions in a state (all when null), newest first, for admins. */
  /**
   * Finishes or undoes what a stopped process left between steps: a redemption still RESERVED is captured (or
   * recorded released if its hold expired); one still INTENDED is released, since nobody's consent can be
   * asked again. Only rows untouched for `graceMs`, so a request still under way is left to itself.
   */
  async resume(graceMs: number, now = new Date()): Promise<{ resumed: number; stillPending: number }> {
    const pending = await this.unitOfWork.run((tx) => tx.redemptions.pendingSince(new Date(now.getTime() - graceMs)));
    let stillPending = 0;
    for (const redemption of pending) {
      const after = await this.advance(redemption, undefined).catch(() => redemption);
      if (after.state === 'INTENDED' || after.state === 'RESERVED') stillPending += 1;
    }
    return { resumed: pending.length - stillPending, stillPending };
  }

  /** Takes a redemption as far as the issuer's answers allow; `authorization` is the holder's, absent when resuming. */
  private async advance(redemption: VoucherRedemptionEntity, authorization: string | undefined): Promise<VoucherRedemptionEntity> {
    switch (redemption.state) {
      case 'INTENDED':
        return authorization ? this.reserve(redemption, authorization) : this.undo(redemption);
      case 'RESERVED':
        return this.capture(redemption);
      case 'REFUSED':
        throw refusalOf(redemption);
      default:
        return redemption;
    }
  }

  private async reserve(redemption: VoucherRedemptionEntity, authorization: string): Promise<VoucherRedemptionEntity> {
    let hold: IssuerHold;
    try {
      hold = await this.issuer.reserve(this.issuerOf(redemption), {
        ...this.holdRef(redemption), amountFen: redemption.amountFen, chargeAmountFen: redemption.chargeAmountFen,
        chargeRef: redemption.chargeRef, expiresInSeconds: this.options.holdSeconds,
      }, authorization);
    } catch (error) {
      if (error instanceof IssuerRefusal) {
        const refused = await this.record(redemption, { state: 'REFUSED', failure: JSON.stringify({ code: error.code, message: error.message, details: error.details }) });
        throw refused.state === 'REFUSED' ? refusalOf(refused) : error;
      }
      if (!(error instanceof IssuerUnreachable)) throw error;
      const undone = await this.undo(redemption);
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        undone.state === 'RELEASED'
          ? `${this.issuerOf(redemption).nameEn}, which issued the voucher, could not be reached; nothing was paid. Retry later with a new idempotency key.`
          : `${this.issuerOf(redemption).nameEn}, which issued the voucher, could not be reached; whatever it may hold will be released. Retry later with a new idempotency key.`,
        { redemptionState: undone.state },
      );
    }
    const reserved = await this.recordHold(redemption, hold);
    return reserved.state === 'RESERVED' ? this.capture(reserved) : reserved;
  }

  private async capture(redemption: VoucherRedemptionEntity): Promise<VoucherRedemptionEntity> {
    try {
      return await this.recordHold(redemption, await this.issuer.capture(this.issuerOf(redemption), this.holdRef(redemption)));
    } catch (error) {
      // Unknown outcome: it stays RESERVED, and is finished by a repeat of the request or by resume.
      if (error instanceof IssuerUnreachable || error instanceof IssuerRefusal) return redemption;
      throw error;
    }
  }

  /** Releases whatever the issuer holds under this redemption's key (recording it released even if it never arrived there). */
  private async undo(redemption: VoucherRedemptionEntity): Promise<VoucherRedemptionEntity> {
    try {
      return await this.recordHold(redemption, await this.issuer.release(this.issuerOf(redemption), this.holdRef(redemption)));
    } catch (error) {
      if (error instanceof IssuerUnreachable || error instanceof IssuerRefusal) return redemption;
      throw error;
    }
  }

  /** Records what the issuer answered about the hold. */
  private recordHold(redemption: VoucherRedemptionEntity, hold: IssuerHold): Promise<VoucherRedemptionEntity> {
    switch (hold.status) {
      case 'HELD':
        return this.record(redemption, { state: 'RESERVED', holdId: hold.id });
      case 'CAPTURED':
        return this.record(redemption, { state: 'CAPTURED', holdId: hold.id, issuerCapturedAt: hold.capturedAt ? new Date(hold.capturedAt) : new Date() });
      case 'RELEASED':
        return this.record(redemption, { state: 'RELEASED', holdId: hold.id, failure: JSON.stringify({ code: 'CONFLICT', message: `the issuer released the hold (${hold.releaseReason ?? 'released'})` }) });
      default: {
        const unknown: never = hold.status;
        throw new Error(`unknown hold status ${String(unknown)}`);
      }
    }
  }

  /**
   * Moves the redemption on in one statement, which moves its charge's voucher part with it (in the database:
   * ChargeVoucherPartsFollowPayments) and so needs no transaction of its own; when another worker moved it first, or
   * the change is no move at all, answers the row as it now is. An outcome the issuer decided is never changed: only
   * INTENDED moves to any state, and RESERVED to CAPTURED or RELEASED (MOVES_FROM).
   */
  private async record(
    redemption: VoucherRedemptionEntity,
    changes: Pick<VoucherRedemptionEntity, 'state'> & Partial<Pick<VoucherRedemptionEntity, 'holdId' | 'issuerCapturedAt' | 'failure'>>,
  ): Promise<VoucherRedemptionEntity> {
    const moved = await this.redemptions.transition(redemption.id, MOVES_FROM[changes.state], changes);
    if (moved) return moved;
    const [current] = await this.redemptions.findByIds([redemption.id]);
    if (!current) throw new Error(`redemption ${redemption.id} vanished`);
    return current;
  }

  private holdRef(redemption: VoucherRedemptionEntity) {
    return { voucherId: redemption.voucherId, holdKey: redemption.id, servingProvince: this.province.code };
  }

  private issuerOf(redemption: VoucherRedemptionEntity): ProvinceDefinition {
    return decodeGlobalId(redemption.voucherId, 'voucher').province;
  }
}

/** A repeated request must be the same request: CONFLICT naming what differs. */
function sameRequest(existing: VoucherRedemptionEntity, request: z.infer<typeof paySchema> & { voucherId: string }): VoucherRedemptionEntity {
  const differing = (['chargeRef', 'chargeAmountFen', 'voucherId', 'amountFen'] as const).filter((field) => existing[field] !== request[field]);
  if (differing.length > 0) {
    throw conflict(`The idempotency key ${request.idempotencyKey} was used for another voucher payment (different ${differing.join(', ')}); use a new key.`, {
      differingFields: differing,
    });
  }
  return existing;
}

/** The issuer's refusal, as recorded, answered again to a repeated request. */
function refusalOf(redemption: VoucherRedemptionEntity): DomainError {
  const { code, message, details } = JSON.parse(redemption.failure ?? '{}') as { code?: DomainErrorCode; message?: string; details?: Record<string, unknown> };
  return new DomainError(code ?? 'CONFLICT', message ?? 'The issuer refused this voucher payment.', details ?? {});
}
