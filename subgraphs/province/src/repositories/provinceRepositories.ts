import type { EntityManager } from 'typeorm';
import { AuditRepository } from './AuditRepository';
import { BookingRepository } from './BookingRepository';
import { CategoryRepository } from './CategoryRepository';
import { InstrumentRepository } from './InstrumentRepository';
import { LabRepository } from './LabRepository';
import { RecognitionRepository } from './RecognitionRepository';
import { TalentCardRepository } from './TalentCardRepository';

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
  };
}

export type ProvinceRepositories = ReturnType<typeof provinceRepositories>;
