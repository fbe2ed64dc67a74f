import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badUserInput, conflict, DAY_MS, decodeOwnGlobalId, encodeGlobalId, forbidden, input, notFound, parseInput,
  type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { AuditRepository } from '../audit/AuditRepository';
import { withArgument } from '../domain/registryChanges';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import { requireKnownPerson, type PlatformPeople } from '../domain/platformPeople';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { VoucherEntity } from './VoucherEntity';
import type { HoldReleaseReason, VoucherHoldEntity } from './VoucherHoldEntity';
import type { BalanceChange, BalanceStep, HoldKey, HoldOutcome, VoucherRepository } from './VoucherRepository';
import {
  chargeRef, DEFAULT_HOLD_SECONDS, fenAmount, MAX_HOLD_SECONDS, MAX_VOUCHER_DAYS, maxCoverFen, provinceCode, refusalOf, uuid,
} from './voucherRules';

/** The repositories a voucher change works with, in its transaction. */
export interface VoucherTransaction {
  readonly vouchers: VoucherRepository;
  readonly audit: AuditRepository;
}

/** `IssueVoucherInput` as GraphQL delivers it. */
export interface IssueVoucherInput {
  holderUserId: string;
  holderName: string;
  amountFen: number;
  validFrom: Date;
  validUntil: Date;
  acceptedIn: string[];
  maxSharePercent: number;
}

/** `reserve<P>Voucher`'s arguments. */
export interface ReserveArgs {
  voucherId: string;
  amountFen: number;
  chargeAmountFen: number;
  servingProvince: string;
  chargeRef: string;
  holdKey: string;
  expiresInSeconds?: number | null;
}

/** What names a hold in `capture…`, `release…` and the lookup: the serving side's key, and the voucher and province it is for. */
export interface HoldRef {
  voucherId: string;
  holdKey: string;
  servingProvince: string;
}

const issueSchema = z.object({
  holderUserId: uuid("the holder's platform user id"),
  holderName: input.text(2, 200),
  amountFen: fenAmount('the voucher amount'),
  validFrom: z.date(),
  validUntil: z.date(),
  acceptedIn: z.array(provinceCode).min(1, { message: 'must name at least one province' }),
  maxSharePercent: z.number().int({ message: 'must be a whole percentage' }).min(1, { message: 'must be at least 1' }).max(100, { message: 'must be at most 100' }),
}).refine((value) => value.validUntil > value.validFrom, { message: 'must be after validFrom', path: ['validUntil'] })
  .refine((value) => value.validUntil.getTime() - value.validFrom.getTime() <= MAX_VOUCHER_DAYS * DAY_MS, {
    message: `must be at most ${MAX_VOUCHER_DAYS} days after validFrom`, path: ['validUntil'],
  });

const reserveSchema = z.object({
  amountFen: fenAmount('the part of the charge the voucher pays'),
  chargeAmountFen: fenAmount('the whole charge'),
  servingProvince: provinceCode,
  chargeRef,
  holdKey: uuid('the serving side\'s hold key'),
  expiresInSeconds: z.number().int().min(1, { message: 'must be at least 1' }).max(MAX_HOLD_SECONDS, { message: `must be at most ${MAX_HOLD_SECONDS}` })
    .nullish().transform((value) => value ?? DEFAULT_HOLD_SECONDS),
}).refine((value) => value.amountFen <= value.chargeAmountFen, { message: 'must not be more than chargeAmountFen', path: ['amountFen'] });

const holdRefSchema = z.object({ holdKey: uuid('the serving side\'s hold key'), servingProvince: provinceCode });

/** A release's outcome: the serving side asked for it, or the hold expired uncaptured. */
function releasedFor(reason: HoldReleaseReason, now: Date): HoldOutcome {
  return { status: 'RELEASED', releaseReason: reason, capturedAt: null, releasedAt: now };
}

/**
 * The issuing side of innovation vouchers: this province issues them and alone
 * changes their balance. A serving province reserves part of a balance for one
 * of its charges (a hold), then captures or releases it. Every balance change
 * locks the voucher row first, so concurrent reservations are decided in turn and
 * can never spend more than is available (the table's CHECKs are the backstop).
 * Every step is idempotent: the hold key names the hold, and repeating a step
 * answers the hold as it now is.
 */
export class VoucherService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly unitOfWork: UnitOfWork<VoucherTransaction>,
    /** The platform, asked whether a holder named by an admin has an account. */
    private readonly people: PlatformPeople,
    /** The vouchers outside any transaction: settling a hold still held is one statement, which commits by itself. */
    private readonly vouchers: VoucherRepository,
  ) {}

  globalId(localId: string): string {
    return encodeGlobalId(this.province, 'voucher', localId);
  }

  async issue(admin: ProvinceAdmin, raw: IssueVoucherInput, now = new Date()): Promise<VoucherEntity> {
    const request = parseInput(issueSchema, raw, 'input');
    // A voucher over before it is issued could never pay anything: a mistyped year, not a voucher.
    if (request.validUntil <= now) {
      throw badUserInput(`input.validUntil: must be in the future (it is ${request.validUntil.toISOString()}); nothing was issued.`, { argument: 'input.validUntil' });
    }
    // The holder is a platform account (a team's or enterprise's lead): asked before anything is written.
    await requireKnownPerson(this.people, request.holderUserId, {
      argument: 'input.holderUserId', record: 'voucher', reason: 'UNKNOWN_HOLDER',
      hint: "A voucher is issued to the platform account of an enterprise's or research team's lead (their user id, as in me { id }); holderName names the enterprise or team.",
    });
    return this.unitOfWork.run(async (tx) => {
      const voucher = Object.assign(new VoucherEntity(), {
        id: randomUUID(),
        holderUserId: request.holderUserId,
        holderName: request.holderName,
        issuedFen: request.amountFen,
        availableFen: request.amountFen,
        heldFen: 0,
        capturedFen: 0,
        expiredFen: 0,
        validFrom: request.validFrom,
        validUntil: request.validUntil,
        acceptedIn: [...new Set(request.acceptedIn)],
        maxSharePercent: request.maxSharePercent,
        issuedBy: admin.displayName ?? admin.subject,
      });
      await tx.vouchers.insert(voucher);
      await tx.vouchers.recordEvent({ voucherId: voucher.id, kind: 'ISSUED', amountFen: voucher.issuedFen, holdId: null });
      await tx.audit.record(admin, {
        action: 'voucher.issued',
        entityType: 'voucher',
        entityId: this.globalId(voucher.id),
        details: {
          holderUserId: voucher.holderUserId, amountFen: voucher.issuedFen, acceptedIn: voucher.acceptedIn,
          maxSharePercent: voucher.maxSharePercent, validFrom: voucher.validFrom, validUntil: voucher.validUntil,
        },
      });
      return voucher;
    });
  }

  /**
   * Holds part of the balance for a charge of a serving province. Only the holder may: reserving is their
   * consent to pay. Repeating it with the same hold key answers the same hold (whatever became of it); the
   * same key with other arguments is CONFLICT naming them.
   */
  async reserve(viewer: Viewer, args: ReserveArgs, now = new Date()): Promise<VoucherHoldEntity> {
    const voucherId = this.voucherLocalId(args.voucherId);
    const request = parseInput(reserveSchema, args, 'arguments');
    return this.unitOfWork.run(async (tx) => {
      const voucher = await tx.vouchers.lockForUpdate(voucherId);
      if (!voucher) throw this.noVoucher(args.voucherId);
      if (viewer.subject !== voucher.holderUserId) throw forbidden('Only the voucher\'s holder may pay with it; sign in as the holder.');
      const { existing, coveredFen: covered } = await tx.vouchers.reservationFacts({ ...request, voucherId });
      if (existing) return this.repeatedReservation(existing, voucherId, request);
      const refusal = refusalOf(voucher, request.servingProvince, now);
      if (refusal) throw conflict(`The voucher cannot pay for this charge: ${refusal}.`, { voucherId: args.voucherId });
      const cap = maxCoverFen(request.chargeAmountFen, voucher.maxSharePercent);
      if (covered + request.amountFen > cap) {
        throw conflict(
          `This voucher may pay at most ${voucher.maxSharePercent}% of a charge: ${cap} fen of ${request.chargeAmountFen}, of which ${covered} fen is already held or paid; ask for at most ${Math.max(0, cap - covered)} fen.`,
          { reason: 'SHARE_LIMIT', maxSharePercent: voucher.maxSharePercent, maxFen: Math.max(0, cap - covered) },
        );
      }
      if (voucher.availableFen < request.amountFen) {
        throw conflict(
          `The voucher has ${voucher.availableFen} fen available, less than the ${request.amountFen} fen asked; ask for at most ${voucher.availableFen} fen.`,
          { reason: 'INSUFFICIENT_BALANCE', availableFen: voucher.availableFen },
        );
      }
      const hold: VoucherHoldEntity = {
        id: randomUUID(), voucherId, holdKey: request.holdKey, servingProvince: request.servingProvince, chargeRef: request.chargeRef,
        amountFen: request.amountFen, chargeAmountFen: request.chargeAmountFen, status: 'HELD', releaseReason: null,
        expiresAt: new Date(now.getTime() + request.expiresInSeconds * 1000), createdAt: now, capturedAt: null, releasedAt: null,
      };
      await tx.vouchers.insertHeld(hold);
      return hold;
    });
  }

  /**
   * Pays a held amount. A hold already captured answers the same; a released or expired one answers RELEASED
   * (nothing paid). The usual capture, of a hold still held and unexpired, is one statement; anything else is decided
   * under the voucher's lock.
   */
  async capture(ref: HoldRef, now = new Date()): Promise<VoucherHoldEntity> {
    const key = this.holdRef(ref);
    const outcome: HoldOutcome = { status: 'CAPTURED', releaseReason: null, capturedAt: now, releasedAt: null };
    return (await this.vouchers.settleHeld(key, outcome, now)) ?? this.withHold(ref, key, (tx, hold) => {
      if (hold.status !== 'HELD') return Promise.resolve(hold);
      if (hold.expiresAt <= now) return this.releaseHeld(tx, hold, 'EXPIRED', now);
      return this.settleLocked(tx, hold, outcome);
    }, now);
  }

  /**
   * Gives a held amount back. A captured hold is answered as it is (CAPTURED: it was paid, and a refund is a
   * credit on the charge, not a release). A hold key the issuer never saw is recorded as released (ABORTED), so a
   * reservation that arrives late finds it released instead of holding money nobody will capture.
   */
  async release(ref: HoldRef, now = new Date()): Promise<VoucherHoldEntity> {
    const key = this.holdRef(ref);
    return (await this.vouchers.settleHeld(key, releasedFor('RELEASED', now), null))
      ?? this.withHold(ref, key, async (tx, hold) => (hold.status === 'HELD' ? this.releaseHeld(tx, hold, 'RELEASED', now) : hold), now, true);
  }

  /** A hold by its key, for the serving side to learn its outcome (e.g. after a restart). */
  async hold(ref: HoldRef): Promise<VoucherHoldEntity | null> {
    const { voucherId, holdKey, servingProvince } = this.holdRef(ref);
    const hold = await this.unitOfWork.run((tx) => tx.vouchers.findHoldByKey(holdKey));
    return hold && hold.voucherId === voucherId && hold.servingProvince === servingProvince ? hold : null;
  }

  /** Releases held amounts past their expiry and expires the balance of vouchers past their last day: what the sweeper runs. */
  async sweep(now = new Date()): Promise<{ releasedHolds: number; expiredVouchers: number }> {
    const keys = await this.unitOfWork.run((tx) => tx.vouchers.expiredHoldKeys(now));
    let releasedHolds = 0;
    for (const holdKey of keys) {
      releasedHolds += await this.unitOfWork.run(async (tx) => {
        const found = await tx.vouchers.findHoldByKey(holdKey);
        if (!found) return 0;
        await tx.vouchers.lockForUpdate(found.voucherId);
        const hold = await tx.vouchers.findHoldByKey(holdKey);
        if (hold?.status !== 'HELD' || hold.expiresAt > now) return 0;
        await this.releaseHeld(tx, hold, 'EXPIRED', now);
        return 1;
      });
    }
    const lapsed = await this.unitOfWork.run((tx) => tx.vouchers.lapsedWithBalance(now));
    for (const voucherId of lapsed) {
      await this.unitOfWork.run(async (tx) => {
        const voucher = await tx.vouchers.lockForUpdate(voucherId);
        if (!voucher || voucher.availableFen === 0 || voucher.validUntil > now) return;
        await this.moveBalance(tx, voucherId, { available: -voucher.availableFen, expired: voucher.availableFen }, { kind: 'EXPIRED', amountFen: voucher.availableFen, holdId: null });
      });
    }
    return { releasedHolds, expiredVouchers: lapsed.length };
  }

  private async withHold(
    ref: HoldRef,
    { voucherId, holdKey, servingProvince }: HoldKey,
    work: (tx: VoucherTransaction, hold: VoucherHoldEntity) => Promise<VoucherHoldEntity>,
    now: Date,
    abortUnknown = false,
  ): Promise<VoucherHoldEntity> {
    return this.unitOfWork.run(async (tx) => {
      // Voucher first, then the hold: the same order as a reservation, so two steps never wait on each other in a circle.
      if (!(await tx.vouchers.lockForUpdate(voucherId))) throw this.noVoucher(ref.voucherId);
      const hold = await tx.vouchers.findHoldByKey(holdKey);
      if (!hold) {
        if (!abortUnknown) throw notFound(`${this.province.nameEn} holds nothing under the key ${holdKey} for this voucher.`, { holdKey });
        const aborted: VoucherHoldEntity = {
          id: randomUUID(), voucherId, holdKey, servingProvince, chargeRef: '', amountFen: 0, chargeAmountFen: 0, status: 'RELEASED',
          releaseReason: 'ABORTED', expiresAt: now, createdAt: now, capturedAt: null, releasedAt: now,
        };
        await tx.vouchers.insertHold(aborted);
        return aborted;
      }
      if (hold.voucherId !== voucherId || hold.servingProvince !== servingProvince) {
        throw conflict(`The hold key ${holdKey} names a hold of another voucher or serving province.`, { holdKey });
      }
      return work(tx, hold);
    });
  }

  private releaseHeld(tx: VoucherTransaction, hold: VoucherHoldEntity, reason: HoldReleaseReason, now: Date): Promise<VoucherHoldEntity> {
    return this.settleLocked(tx, hold, releasedFor(reason, now));
  }

  /** Settles a hold read HELD under its voucher's lock, which nothing else can have settled since. */
  private async settleLocked(tx: VoucherTransaction, hold: VoucherHoldEntity, outcome: HoldOutcome): Promise<VoucherHoldEntity> {
    const settled = await tx.vouchers.settleHeld(hold, outcome, null);
    if (!settled) throw new Error(`voucher ${hold.voucherId}: hold ${hold.holdKey} not settled under the voucher's row lock`);
    return settled;
  }

  private async moveBalance(tx: VoucherTransaction, voucherId: string, change: BalanceChange, step: BalanceStep) {
    if (!(await tx.vouchers.changeBalance(voucherId, change, step))) throw new Error(`voucher ${voucherId}: balance change ${JSON.stringify(change)} refused under its row lock`);
  }

  private repeatedReservation(existing: VoucherHoldEntity, voucherId: string, request: z.infer<typeof reserveSchema>): VoucherHoldEntity {
    // Released before it arrived: the serving side gave up on it, and the answer says so.
    if (existing.releaseReason === 'ABORTED' && existing.voucherId === voucherId) return existing;
    const differing = [
      existing.voucherId !== voucherId && 'voucherId',
      existing.servingProvince !== request.servingProvince && 'servingProvince',
      existing.chargeRef !== request.chargeRef && 'chargeRef',
      existing.amountFen !== request.amountFen && 'amountFen',
      existing.chargeAmountFen !== request.chargeAmountFen && 'chargeAmountFen',
    ].filter((field): field is string => !!field);
    if (differing.length > 0) {
      throw conflict(`The hold key ${request.holdKey} was used for another reservation (different ${differing.join(', ')}); use a new key.`, { differingFields: differing });
    }
    return existing;
  }

  private holdRef(ref: HoldRef): HoldKey {
    const voucherId = this.voucherLocalId(ref.voucherId);
    const { holdKey, servingProvince } = parseInput(holdRefSchema, { holdKey: ref.holdKey, servingProvince: ref.servingProvince }, 'arguments');
    return { voucherId, holdKey, servingProvince };
  }

  private voucherLocalId(id: string): string {
    try {
      return decodeOwnGlobalId(id, 'voucher', this.province).localId;
    } catch (error) {
      throw withArgument(error, 'voucherId');
    }
  }

  private noVoucher(id: string) {
    return notFound(`${this.province.nameEn} issued no voucher with the id ${id}.`, { id });
  }
}

