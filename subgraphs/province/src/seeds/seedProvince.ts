import type { DataSource } from 'typeorm';
import { TierRepository } from '../talentCards/TierRepository';
import { PartnerTierMappingEntity, TalentTierEntity } from '../talentCards/TierEntities';
import { PROVINCES, encodeGlobalId, endOfChinaDay, partnerOf, seededUserId, stableUuid, startOfChinaDay, type ProvinceKey } from '../../../../shared/src';
import {
  BookingEntity, BookingEventEntity, BookingRatingEntity, BookingRulesEntity, CategoryEntity, ClientGrantEntity, InstrumentEntity, LabEntity,
  LabPartnerInstrumentEntity, QualificationEntity, RecognitionEntity, ServiceRequestEntity, TalentCardEntity, VoucherEntity, VoucherEventEntity,
} from '../entities';
import { demoBookings } from './demoBookings';
import { demoBookingPrice, seedBookingCharges, seedOfferings, seedServiceRequests } from './seedServices';
import { seedIssuedVoucherPayments, seedServedVoucherPayments } from './seedVoucherPayments';
import { OutboxRepository } from '../events/OutboxRepository';
import type { EventType } from '../events/eventTypes';
import type { ProvinceSeed } from './provinceSeedSchema';

/** Ids of seeded rows are derived from their seed codes, so the partner can refer to them without reading this database. */
export const seededId = (province: ProvinceKey, kind: 'lab' | 'instrument' | 'talentcard' | 'voucher', code: string) =>
  stableUuid(`${province}:${kind}:${code}`);

const SEED_CHUNK = 1000;

/**
 * Writes a province's demo registry in one transaction. Rows that already
 * exist are left alone, so a second start neither duplicates nor overwrites.
 */
export async function seedProvince(dataSource: DataSource, seed: ProvinceSeed): Promise<void> {
  const province = seed.province;
  const partner = partnerOf(PROVINCES[province]).key;
  const labId = (code: string) => seededId(province, 'lab', code);

  await dataSource.transaction(async (manager) => {
    // In chunks: a year of bookings is thousands of rows, and one statement per chunk keeps each statement's
    // parameters well under PostgreSQL's 65,535 and TypeORM's query building short.
    const insert = async <T extends object>(entity: new () => T, rows: Partial<T>[]) => {
      for (let start = 0; start < rows.length; start += SEED_CHUNK) {
        await manager.createQueryBuilder().insert().into(entity).values(rows.slice(start, start + SEED_CHUNK) as never).orIgnore().execute();
      }
    };
    await insert(CategoryEntity, seed.categories.map((c) => ({ code: c.code, nameEn: c.nameEn, nameZh: c.nameZh })));
    await insert(LabEntity, seed.labs.map((lab) => ({
      id: labId(lab.code),
      code: lab.code,
      name: lab.name,
      nameZh: lab.nameZh,
      institution: lab.institution,
      city: lab.city,
      level: lab.level,
      jointlyBuilt: lab.jointlyBuilt,
      partnerProvince: lab.jointlyBuilt ? partner : null,
      partnerInstitutions: lab.partnerInstitutions,
      description: lab.description,
    })));
    await insert(LabPartnerInstrumentEntity, seed.labs.flatMap((lab) =>
      lab.partnerInstrumentCodes.map((code, position) => ({
        labId: labId(lab.code),
        partnerInstrumentId: encodeGlobalId(PROVINCES[partner], 'instrument', seededId(partner, 'instrument', code)),
        position,
      })),
    ));
    await insert(InstrumentEntity, seed.instruments.map((i) => ({
      id: seededId(province, 'instrument', i.code),
      assetCode: i.code,
      name: i.name,
      nameZh: i.nameZh,
      categoryCode: i.category,
      model: i.model,
      manufacturer: i.manufacturer,
      institution: i.institution,
      labId: i.labCode ? labId(i.labCode) : null,
      location: i.location,
      status: i.status,
      openForSharing: i.openForSharing,
      hourlyFee: i.hourlyFeeYuan,
      services: i.services,
      openFromHour: i.openFromHour,
      openToHour: i.openToHour,
      description: i.description,
      originalValueFen: i.originalValueFen,
      fundingSource: i.fundingSource,
      purchaseDate: i.purchaseDate,
      commissioningDate: i.commissioningDate,
      countryOfManufacture: i.countryOfManufacture,
      classificationCode: i.classificationCode,
      mainSpecifications: i.mainSpecifications,
      mainFunctions: i.mainFunctions,
      sharingContactName: i.sharingContactName,
      sharingContactPhone: i.sharingContactPhone,
      sharingContactEmail: i.sharingContactEmail,
    })));
    await seedOfferings(insert, province, seed.offerings, (code) => seededId(province, 'instrument', code), labId);
    await insert(TalentCardEntity, seed.talentCards.map((card) => ({
      id: seededId(province, 'talentcard', card.cardNumber),
      cardNumber: card.cardNumber,
      tier: card.tier,
      holderUserId: card.holderUsername ? seededUserId(card.holderUsername) : null,
      holderName: card.holderName,
      field: card.field,
      employer: card.employer,
      issuedOn: card.issuedOn,
      validUntil: card.validUntil,
      status: card.status,
    })));
    // Booking history only on the first seeding: later starts find the same ids and leave them alone.
    const alreadyBooked = await manager.count(BookingEntity);
    if (alreadyBooked === 0) {
      const now = new Date();
      const bookings = demoBookings(province, seed.instruments, now);
      const instrumentOf = (code: string) => seed.instruments.find((i) => i.code === code)!;
      const priced = bookings.map((b) => ({ ...b, price: demoBookingPrice(province, instrumentOf(b.instrumentCode), seed.offerings, b.startsAt, b.endsAt) }));
      await insert(BookingEntity, priced.map((b) => ({
        id: b.id,
        instrumentId: seededId(province, 'instrument', b.instrumentCode),
        userId: b.userId,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        status: b.statuses.at(-1)!,
        purpose: b.purpose,
        idempotencyKey: null,
        requesterCategory: b.requesterCategory,
        requesterInstitution: b.requesterInstitution,
        actualStart: b.actualStart,
        actualEnd: b.actualEnd,
        ...b.price,
      })));
      await insert(BookingRatingEntity, bookings.flatMap((b) =>
        b.rating ? [{ bookingId: b.id, userId: b.userId, score: b.rating.score, comment: b.rating.comment, ratedAt: b.actualEnd! }] : []));
      // The province's demo admin (`sc.admin`, "Sichuan Registry Admin"…) decided every booking.
      const admin = { actorId: seededUserId(`${PROVINCES[province].idPrefix}.admin`), actorName: `${PROVINCES[province].nameEn} Registry Admin` };
      await insert(BookingEventEntity, bookings.flatMap((b) =>
        b.statuses.map((status, step) => ({ bookingId: b.id, status, ...(step === 0 ? { actorId: b.userId, actorName: b.userName } : admin), note: null })),
      ));
      await seedBookingCharges(manager, province, priced
        .filter((b) => b.statuses.at(-1) === 'COMPLETED')
        .map((b) => ({
          ...b, instrumentName: instrumentOf(b.instrumentCode).name,
          snapshot: { category: b.price.priceCategory, lines: b.price.priceLines, totalFen: b.price.priceTotalFen },
        })));
      // The same history in the outbox, so `events(after:)` has the demo's events from the first start.
      const outbox = new OutboxRepository(manager, /* mailsPeople: past history is no news */ false);
      for (const b of bookings) {
        for (const status of b.statuses) {
          outbox.record({
            type: `booking.${status.toLowerCase()}` as EventType,
            entityId: encodeGlobalId(PROVINCES[province], 'booking', b.id),
            state: {
              status,
              instrumentId: encodeGlobalId(PROVINCES[province], 'instrument', seededId(province, 'instrument', b.instrumentCode)),
              start: b.startsAt.toISOString(),
              end: b.endsAt.toISOString(),
            },
          });
        }
      }
      await outbox.flush();
    }
    const usage = seed.usage ?? { bookingRules: [], qualifications: [] };
    await insert(BookingRulesEntity, usage.bookingRules.map(({ instrumentCode, ...rules }) => ({ instrumentId: seededId(province, 'instrument', instrumentCode), ...rules })));
    const seededAt = new Date();
    await insert(QualificationEntity, usage.qualifications.map((q) => ({
      id: stableUuid(`${province}:qualification:${q.holderUsername}:${q.instrumentCode ?? q.model}`),
      userId: seededUserId(q.holderUsername),
      instrumentId: q.instrumentCode ? seededId(province, 'instrument', q.instrumentCode) : null,
      model: q.model ?? null,
      issuedAt: seededAt,
      expiresAt: new Date(seededAt.getTime() + q.validForDays * 86_400_000),
      issuedBy: seededUserId(`${PROVINCES[province].idPrefix}.admin`),
      note: 'Demo: trained at the instrument centre',
      revokedAt: null,
      revokedReason: null,
    })));
    // Likewise service requests, on their first seeding (a registry seeded before they existed gets them once).
    if ((await manager.count(ServiceRequestEntity)) === 0) {
      await seedServiceRequests(manager, province, seed.offerings, seed.serviceRequests, seededAt);
      await seedServedVoucherPayments(manager, province, seed.voucherPayments, seededAt);
    }
    // Vouchers with their ISSUED line only on the first seeding, like bookings: a balance spent since is left alone.
    if ((await manager.count(VoucherEntity)) === 0) {
      await insert(VoucherEntity, seed.vouchers.map((v) => ({
        id: seededId(province, 'voucher', v.code),
        holderUserId: seededUserId(v.holderUsername),
        holderName: v.holderName,
        issuedFen: v.amountFen,
        availableFen: v.amountFen,
        heldFen: 0,
        capturedFen: 0,
        expiredFen: 0,
        validFrom: startOfChinaDay(v.validFrom),
        validUntil: endOfChinaDay(v.validUntil),
        acceptedIn: v.acceptedIn,
        maxSharePercent: v.maxSharePercent,
        issuedBy: `${PROVINCES[province].nameEn} Registry Admin`,
      })));
      await insert(VoucherEventEntity, seed.vouchers.map((v) => ({
        voucherId: seededId(province, 'voucher', v.code), kind: 'ISSUED' as const, amountFen: v.amountFen, availableAfterFen: v.amountFen, holdId: null,
      })));
      await seedIssuedVoucherPayments(manager, province, seed.voucherPayments, seededAt);
    }
    // The scheme replaces the migration's neutral names and identity mapping.
    await new TierRepository(manager).put(
      seed.tierScheme.tiers.map((tier) => Object.assign(new TalentTierEntity(), tier)),
      seed.tierScheme.partnerMapping.map((row) => Object.assign(new PartnerTierMappingEntity(), row)),
    );
    await insert(RecognitionEntity, seed.recognitionCatalog.map((item) => ({
      code: item.code,
      name: item.name,
      nameZh: item.nameZh,
      provider: item.provider,
      minimumTier: item.minimumTier,
      howToApply: item.howToApply,
    })));
    await insert(ClientGrantEntity, seed.clientGrants.map((grant) => ({
      clientId: grant.clientId,
      scopes: [...grant.scopes].sort(),
      recognitionItems: [...grant.recognitionItems].sort(),
      grantedBy: `${PROVINCES[province].nameEn} Registry Admin`,
      grantedAt: new Date(),
    })));
  });
}
