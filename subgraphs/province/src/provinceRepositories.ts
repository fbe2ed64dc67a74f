import type { EntityManager } from 'typeorm';
import { AccessLogRepository } from './accessLog/AccessLogRepository';
import { AuditRepository } from './audit/AuditRepository';
import { BookingRepository } from './bookings/BookingRepository';
import { CardCheckRepository } from './cardChecks/CardCheckRepository';
import { ClientGrantRepository } from './clientGrants/ClientGrantRepository';
import { OutboxRepository } from './events/OutboxRepository';
import { WebhookRepository } from './events/WebhookRepository';
import { CategoryRepository } from './instruments/CategoryRepository';
import { InstrumentRepository } from './instruments/InstrumentRepository';
import { LabRepository } from './labs/LabRepository';
import { QualificationRepository } from './qualifications/QualificationRepository';
import { RecognitionRepository } from './recognitions/RecognitionRepository';
import { TalentCardRepository } from './talentCards/TalentCardRepository';
import { TierRepository } from './talentCards/TierRepository';
import { UsageRepository } from './usage/UsageRepository';
import { OfferingRepository } from './offerings/OfferingRepository';
import { ServiceRequestRepository } from './serviceRequests/ServiceRequestRepository';
import { ChargeRepository } from './charges/ChargeRepository';
import { VoucherRedemptionRepository } from './vouchers/VoucherRedemptionRepository';
import { VoucherRepository } from './vouchers/VoucherRepository';

/**
 * Every repository of the province, on one EntityManager: the DataSource's
 * for plain reads, a transaction's inside a unit of work.
 */
export function provinceRepositories(manager: EntityManager) {
  return {
    instruments: new InstrumentRepository(manager),
    labs: new LabRepository(manager),
    categories: new CategoryRepository(manager),
    talentCards: new TalentCardRepository(manager),
    cardChecks: new CardCheckRepository(manager),
    tiers: new TierRepository(manager),
    recognitions: new RecognitionRepository(manager),
    bookings: new BookingRepository(manager),
    offerings: new OfferingRepository(manager),
    serviceRequests: new ServiceRequestRepository(manager),
    charges: new ChargeRepository(manager),
    audit: new AuditRepository(manager),
    clientGrants: new ClientGrantRepository(manager),
    accessLog: new AccessLogRepository(manager),
    qualifications: new QualificationRepository(manager),
    usage: new UsageRepository(manager),
    vouchers: new VoucherRepository(manager),
    redemptions: new VoucherRedemptionRepository(manager),
    events: new OutboxRepository(manager),
    webhooks: new WebhookRepository(manager),
  };
}

export type ProvinceRepositories = ReturnType<typeof provinceRepositories>;
