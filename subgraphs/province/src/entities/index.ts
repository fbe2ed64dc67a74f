export { BookingEntity } from './BookingEntity';
export { CategoryEntity } from './CategoryEntity';
export { InstrumentEntity } from './InstrumentEntity';
export { LabEntity } from './LabEntity';
export { LabPartnerInstrumentEntity } from './LabPartnerInstrumentEntity';
export { RecognitionEntity } from './RecognitionEntity';
export { TalentCardEntity } from './TalentCardEntity';
