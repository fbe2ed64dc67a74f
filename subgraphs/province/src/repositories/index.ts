export { BookingRepository } from './BookingRepository';
export { CategoryRepository } from './CategoryRepository';
export { InstrumentRepository, type InstrumentCursor, type InstrumentSearch } from './InstrumentRepository';
export { LabRepository } from './LabRepository';
export { RecognitionRepository } from './RecognitionRepository';
export { TalentCardRepository } from './TalentCardRepository';
