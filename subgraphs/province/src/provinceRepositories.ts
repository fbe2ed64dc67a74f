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

/** How each repository of the province is made on a manager. */
const REPOSITORIES = {
  instruments: (manager: EntityManager) => new InstrumentRepository(manager),
  labs: (manager: EntityManager) => new LabRepository(manager),
  categories: (manager: EntityManager) => new CategoryRepository(manager),
  talentCards: (manager: EntityManager) => new TalentCardRepository(manager),
  cardChecks: (manager: EntityManager) => new CardCheckRepository(manager),
  tiers: (manager: EntityManager) => new TierRepository(manager),
  recognitions: (manager: EntityManager) => new RecognitionRepository(manager),
  bookings: (manager: EntityManager) => new BookingRepository(manager),
  offerings: (manager: EntityManager) => new OfferingRepository(manager),
  serviceRequests: (manager: EntityManager) => new ServiceRequestRepository(manager),
  charges: (manager: EntityManager) => new ChargeRepository(manager),
  audit: (manager: EntityManager) => new AuditRepository(manager),
  clientGrants: (manager: EntityManager) => new ClientGrantRepository(manager),
  accessLog: (manager: EntityManager) => new AccessLogRepository(manager),
  qualifications: (manager: EntityManager) => new QualificationRepository(manager),
  usage: (manager: EntityManager) => new UsageRepository(manager),
  vouchers: (manager: EntityManager) => new VoucherRepository(manager),
  redemptions: (manager: EntityManager) => new VoucherRedemptionRepository(manager),
  events: (manager: EntityManager) => new OutboxRepository(manager),
  webhooks: (manager: EntityManager) => new WebhookRepository(manager),
};

export type ProvinceRepositories = { readonly [K in keyof typeof REPOSITORIES]: ReturnType<(typeof REPOSITORIES)[K]> };

/**
 * Getters that make each repository on first use and keep it: a unit of work binds the set to every transaction,
 * and a payment step or a booking touches three or four of the twenty.
 */
const LAZY_SET: object = Object.create(null, Object.fromEntries(Object.entries(REPOSITORIES).map(([key, make]) => [key, {
  enumerable: true,
  get(this: { manager: EntityManager }) {
    const repository = make(this.manager);
    Object.defineProperty(this, key, { value: repository, enumerable: true });
    return repository;
  },
}])));

/**
 * Every repository of the province, on one EntityManager: the DataSource's
 * for plain reads, a transaction's inside a unit of work. Each is made when
 * first used (an outbox repository holds its transaction's events, so a set is
 * never shared between transactions).
 */
export function provinceRepositories(manager: EntityManager): ProvinceRepositories {
  return Object.create(LAZY_SET, { manager: { value: manager } }) as ProvinceRepositories;
}
