import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_CATEGORIES, DAY_MS, HOUR_MS, PROVINCES, seededUserId, stableUuid, type ProvinceKey } from '../../../../shared/src';
import { serviceRequestLines, snapshotLines, type ChargeLineDraft } from '../charges/chargeRules';
import {
  ChargeEntity, ChargeLineEntity, OfferingEntity, OfferingPriceEntity, ServiceReportEntity, ServiceRequestEntity, ServiceRequestEventEntity,
} from '../entities';
import { priceOfPeriod, priceOfUnits, STANDARD_BAND, UNIT_OF_KIND, type PriceEntry, type PriceSnapshot } from '../offerings/pricing';
import type { SeedInstrument, SeedOffering, SeedServiceRequest } from './provinceSeedSchema';

/** Ids of seeded service rows are derived from their seed codes, like the registry's. */
const serviceId = (province: ProvinceKey, kind: string, code: string) => stableUuid(`${province}:${kind}:${code}`);

/** The id of the charge a seeded service request's report wrote: the partner's seed names it without reading this database. */
export const seededChargeId = (province: ProvinceKey, requestCode: string) =>
  stableUuid(`${province}:charge:servicerequest:${serviceId(province, 'servicerequest', requestCode)}`);

/** The demo report every seeded report-issued request carries: a one-page PDF. */
const DEMO_REPORT = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Steps the requester takes; staff take the others. */
const REQUESTER_STEPS = new Set(['SUBMITTED', 'ACCEPTED', 'DECLINED', 'CANCELLED']);

type Insert = <T extends object>(entity: new () => T, rows: Partial<T>[]) => Promise<void>;

/** Writes the province's offerings and their price lists (rows that exist are left alone). */
export async function seedOfferings(insert: Insert, province: ProvinceKey, offerings: readonly SeedOffering[], instrumentId: (code: string) => string, labId: (code: string) => string) {
  await insert(OfferingEntity, offerings.map((o) => ({
    id: serviceId(province, 'offering', o.code),
    instrumentId: o.instrumentCode ? instrumentId(o.instrumentCode) : null,
    labId: o.labCode ? labId(o.labCode) : null,
    kind: o.kind,
    name: o.name,
    nameZh: o.nameZh,
    turnaroundDays: o.turnaroundDays,
    requirements: o.requirements,
    sampleForm: o.sampleForm,
    active: true,
  })));
  await insert(OfferingPriceEntity, offerings.flatMap((o) => o.prices.map((price) => ({ ...price, offeringId: serviceId(province, 'offering', o.code) }))));
}

/**
 * The price a demo booking recorded: its instrument's seeded self-operated offering, else its hourly fee. The
 * demo researchers count as academics of the province they book in.
 */
export function demoBookingPrice(province: ProvinceKey, instrument: SeedInstrument, offerings: readonly SeedOffering[], start: Date, end: Date) {
  const offering = offerings.find((o) => o.kind === 'SELF_OPERATED' && o.instrumentCode === instrument.code);
  const prices: PriceEntry[] = offering?.prices ?? CUSTOMER_CATEGORIES.map((category) => ({
    category, band: STANDARD_BAND, fromHour: null, toHour: null, amountFen: Math.round(instrument.hourlyFeeYuan * 100),
  }));
  const snapshot = priceOfPeriod(prices, 'OWN_PROVINCE_ACADEMIC', start, end)!;
  return {
    priceCategory: snapshot.category,
    priceOfferingId: offering ? serviceId(province, 'offering', offering.code) : null,
    priceLines: [...snapshot.lines],
    priceTotalFen: snapshot.totalFen,
  };
}

/** Charges of the completed demo bookings, from the prices they recorded, written when they were completed. */
export async function seedBookingCharges(
  manager: EntityManager,
  province: ProvinceKey,
  completed: readonly { id: string; userId: string; userName: string; endsAt: Date; instrumentName: string; snapshot: PriceSnapshot }[],
) {
  const admin = seededUserId(`${PROVINCES[province].idPrefix}.admin`);
  for (const booking of completed) {
    await writeCharge(manager, {
      id: stableUuid(`${province}:charge:booking:${booking.id}`), payerId: booking.userId, payerName: booking.userName, category: booking.snapshot.category,
      source: 'BOOKING', bookingId: booking.id, serviceRequestId: null, offeringKind: 'SELF_OPERATED', createdAt: new Date(booking.endsAt.getTime() + HOUR_MS),
    }, snapshotLines(`Self-operated use of ${booking.instrumentName}`, booking.snapshot, 'HOUR'), admin);
  }
}

/**
 * Service requests in their various states, with their history one day per step (the requester's steps by the
 * requester, the others by the province's demo admin), and the report and charge of those past REPORT_ISSUED.
 */
export async function seedServiceRequests(manager: EntityManager, province: ProvinceKey, offerings: readonly SeedOffering[], requests: readonly SeedServiceRequest[], now: Date) {
  const admin = { actorId: seededUserId(`${PROVINCES[province].idPrefix}.admin`), actorName: `${PROVINCES[province].nameEn} Registry Admin` };
  for (const seed of requests) {
    const offering = offerings.find((o) => o.code === seed.offeringCode);
    if (!offering) throw new Error(`${seed.code}: no offering ${seed.offeringCode} in the seed`);
    const id = serviceId(province, 'servicerequest', seed.code);
    const requesterId = seededUserId(seed.requesterUsername);
    const unit = UNIT_OF_KIND[offering.kind];
    const snapshot = priceOfUnits(offering.prices, seed.category, unit === 'SAMPLE' ? seed.sampleCount : 1);
    const submittedAt = new Date(now.getTime() - seed.submittedDaysAgo * DAY_MS);
    const stepAt = (step: number) => new Date(submittedAt.getTime() + step * DAY_MS);
    const status = seed.statuses.at(-1)!;
    const quoted = seed.statuses.includes('QUOTED');
    await manager.insert(ServiceRequestEntity, {
      id, offeringId: serviceId(province, 'offering', offering.code), requesterId, requesterName: seed.requesterName, status,
      formValues: seed.formValues, sampleCount: seed.sampleCount, neededBy: new Date(submittedAt.getTime() + seed.neededInDays * DAY_MS),
      description: seed.description, idempotencyKey: `seed-${seed.code}`, priceCategory: seed.category, priceUnit: unit,
      priceUnitFen: snapshot?.lines[0]?.unitFen ?? null, priceEstimateFen: unit === 'HOUR' ? null : snapshot?.totalFen ?? null,
      quoteAmountFen: quoted ? seed.quoteFen : null, quoteValidUntil: quoted ? new Date(stepAt(1).getTime() + 30 * DAY_MS) : null,
      closingReason: ['DECLINED', 'CANCELLED', 'REJECTED'].includes(status) ? 'Plans changed' : null,
      createdAt: submittedAt, updatedAt: stepAt(seed.statuses.length - 1),
    });
    await manager.insert(ServiceRequestEventEntity, seed.statuses.map((step, index) => ({
      requestId: id, status: step, note: null, at: stepAt(index),
      ...(REQUESTER_STEPS.has(step) ? { actorId: requesterId, actorName: seed.requesterName } : admin),
    })));
    const issued = seed.statuses.indexOf('REPORT_ISSUED');
    if (issued >= 0) {
      await manager.insert(ServiceReportEntity, {
        requestId: id, fileName: `${seed.code}-report.pdf`, contentType: 'application/pdf', sizeBytes: DEMO_REPORT.length,
        sha256: createHash('sha256').update(DEMO_REPORT).digest('hex'), content: DEMO_REPORT, uploadedBy: admin.actorId, uploadedAt: stepAt(issued),
      });
      await writeCharge(manager, {
        id: seededChargeId(province, seed.code), payerId: requesterId, payerName: seed.requesterName, category: seed.category,
        source: 'SERVICE_REQUEST', bookingId: null, serviceRequestId: id, offeringKind: offering.kind, createdAt: stepAt(issued),
      }, serviceRequestLines(offering.name, snapshot, unit, seed.quoteFen!), admin.actorId);
    }
  }
}

async function writeCharge(manager: EntityManager, charge: Omit<ChargeEntity, 'voucherPendingFen' | 'voucherCapturedFen'>, lines: ChargeLineDraft[], actorId: string) {
  await manager.insert(ChargeEntity, { ...charge, voucherPendingFen: 0, voucherCapturedFen: 0 });
  await manager.insert(ChargeLineEntity, lines.map((line) => ({ ...line, chargeId: charge.id, actorId, at: charge.createdAt })));
}
