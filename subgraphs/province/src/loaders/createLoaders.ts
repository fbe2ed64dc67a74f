import DataLoader from 'dataloader';
import type { BookingEntity } from '../bookings/BookingEntity';
import type { BookingEventEntity } from '../bookings/BookingEventEntity';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { LabEntity } from '../labs/LabEntity';
import type { RecognitionEntity } from '../recognitions/RecognitionEntity';
import type { TalentCardEntity } from '../talentCards/TalentCardEntity';
import type { ProvinceRepositories } from '../persistence/provinceRepositories';

/**
 * Per-request batching: however many references the gateway sends in one
 * `_entities` call, each entity type costs one SQL statement.
 */
export function createLoaders(repositories: ProvinceRepositories) {
  const { instruments, labs, talentCards, bookings, recognitions } = repositories;
  let catalog: Promise<RecognitionEntity[]> | undefined;
  return {
    instruments: new DataLoader<string, InstrumentEntity | null>((ids) => instruments.findByIds(ids)),
    labInstruments: new DataLoader<string, InstrumentEntity[]>((labIds) => instruments.findByLabIds(labIds)),
    labs: new DataLoader<string, LabEntity | null>((ids) => labs.findByIds(ids)),
    labPartnerInstruments: new DataLoader<string, string[]>((labIds) => labs.partnerInstrumentIds(labIds)),
    talentCards: new DataLoader<string, TalentCardEntity | null>((ids) => talentCards.findByIds(ids)),
    talentCardsByHolder: new DataLoader<string, TalentCardEntity | null>((userIds) => talentCards.findByHolderIds(userIds)),
    talentCardsByNumber: new DataLoader<string, TalentCardEntity | null>((numbers) => talentCards.findByCardNumbers(numbers)),
    bookings: new DataLoader<string, BookingEntity | null>((ids) => bookings.findByIds(ids)),
    bookingsByUser: new DataLoader<string, BookingEntity[]>((userIds) => bookings.findByUserIds(userIds)),
    bookingEvents: new DataLoader<string, BookingEventEntity[]>((bookingIds) => bookings.eventsOf(bookingIds)),
    /** The catalogue is small and the same for every card in a request: read it once. */
    recognitionCatalog: () => (catalog ??= recognitions.list()),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
