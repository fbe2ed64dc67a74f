import type { EntityManager } from 'typeorm';
import {
  chinaDay, DAY_MS, encodeGlobalId, HOUR_MS, PROVINCES, seededUserId, stableUuid, startOfChinaDay, type ProvinceKey,
} from '../../../../shared/src';
import { VoucherEntity, VoucherEventEntity, VoucherHoldEntity, VoucherRedemptionEntity } from '../entities';
import type { SeedVoucherPayment } from './provinceSeedSchema';
import { seededChargeId } from './seedServices';

const MINUTE_MS = 60_000;

/** What both sides of a seeded payment derive alike, each from its own seed: ids, the charge and the capture time. */
export function seededPayment(payment: SeedVoucherPayment, now: Date) {
  const chargeId = seededChargeId(payment.servingProvince, payment.serviceRequestCode);
  const day = chinaDay(new Date(now.getTime() - payment.capturedDaysAgo * DAY_MS));
  return {
    /** The serving side's redemption id, which is the issuer's hold key. */
    redemptionId: stableUuid(`voucherpayment:${payment.code}`),
    holdId: stableUuid(`voucherpayment:${payment.code}:hold`),
    voucherId: stableUuid(`${payment.issuer}:voucher:${payment.voucherCode}`),
    chargeId,
    chargeRef: encodeGlobalId(PROVINCES[payment.servingProvince], 'charge', chargeId),
    capturedAt: new Date(startOfChinaDay(day).getTime() + 10 * HOUR_MS),
  };
}

/** The serving side: the redemption, captured (its charge's paid part follows it: ChargeVoucherPartsFollowPayments). Written with the service requests. */
export async function seedServedVoucherPayments(manager: EntityManager, province: ProvinceKey, payments: readonly SeedVoucherPayment[], now: Date) {
  for (const payment of payments.filter((p) => p.servingProvince === province)) {
    const ids = seededPayment(payment, now);
    const reservedAt = new Date(ids.capturedAt.getTime() - MINUTE_MS);
    await manager.insert(VoucherRedemptionEntity, {
      id: ids.redemptionId, userId: seededUserId(payment.holderUsername), idempotencyKey: `seed-${payment.code}`, chargeRef: ids.chargeRef,
      chargeId: ids.chargeId, voucherId: encodeGlobalId(PROVINCES[payment.issuer], 'voucher', ids.voucherId), issuer: payment.issuer,
      amountFen: payment.amountFen, chargeAmountFen: payment.chargeAmountFen, state: 'CAPTURED', holdId: ids.holdId, issuerCapturedAt: ids.capturedAt,
      failure: null, createdAt: reservedAt, updatedAt: ids.capturedAt,
    });
  }
}

/** The issuer's side: the hold, captured, and the voucher's balance and history. Written with the vouchers. */
export async function seedIssuedVoucherPayments(manager: EntityManager, province: ProvinceKey, payments: readonly SeedVoucherPayment[], now: Date) {
  for (const payment of payments.filter((p) => p.issuer === province)) {
    const ids = seededPayment(payment, now);
    const reservedAt = new Date(ids.capturedAt.getTime() - MINUTE_MS);
    await manager.insert(VoucherHoldEntity, {
      id: ids.holdId, voucherId: ids.voucherId, holdKey: ids.redemptionId, servingProvince: payment.servingProvince, chargeRef: ids.chargeRef,
      amountFen: payment.amountFen, chargeAmountFen: payment.chargeAmountFen, status: 'CAPTURED', releaseReason: null,
      expiresAt: new Date(reservedAt.getTime() + 15 * MINUTE_MS), createdAt: reservedAt, capturedAt: ids.capturedAt, releasedAt: null,
    });
    const voucher = await manager.findOneByOrFail(VoucherEntity, { id: ids.voucherId });
    const availableAfterFen = voucher.availableFen - payment.amountFen;
    await manager.update(VoucherEntity, { id: ids.voucherId }, { availableFen: availableAfterFen, capturedFen: voucher.capturedFen + payment.amountFen });
    await manager.insert(VoucherEventEntity, [
      { voucherId: ids.voucherId, kind: 'HELD', amountFen: payment.amountFen, availableAfterFen, holdId: ids.holdId, at: reservedAt },
      { voucherId: ids.voucherId, kind: 'CAPTURED', amountFen: payment.amountFen, availableAfterFen, holdId: ids.holdId, at: ids.capturedAt },
    ]);
  }
}
