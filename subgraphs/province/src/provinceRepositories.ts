import type { EntityManager } from 'typeorm';
import { AuditRepository } from './audit/AuditRepository';
import { BookingRepository } from './bookings/BookingRepository';
import { OutboxRepository } from './events/OutboxRepository';
import { WebhookRepository } from './events/WebhookRepository';
import { CategoryRepository } from './instruments/CategoryRepository';
import { InstrumentRepository } from './instruments/InstrumentRepository';
import { LabRepository } from './labs/LabRepository';
import { RecognitionRepository } from './recognitions/RecognitionRepository';
import { TalentCardRepository } from './talentCards/TalentCardRepository';

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
    recognitions: new RecognitionRepository(manager),
    bookings: new BookingRepository(manager),
    audit: new AuditRepository(manager),
    events: new OutboxRepository(manager),
    webhooks: new WebhookRepository(manager),
  };
}

export type ProvinceRepositories = ReturnType<typeof provinceRepositories>;
