import DataLoader from 'dataloader';
import type { TalentCardEntity } from './TalentCardEntity';
import type { TalentCardRepository } from './TalentCardRepository';

/** Per-request batching of talent-card reads. */
export function createTalentCardLoaders(talentCards: TalentCardRepository) {
  return {
    talentCards: new DataLoader<string, TalentCardEntity | null>((ids) => talentCards.findByIds(ids)),
    talentCardsByHolder: new DataLoader<string, TalentCardEntity | null>((userIds) => talentCards.findByHolderIds(userIds)),
    talentCardsByNumber: new DataLoader<string, TalentCardEntity | null>((numbers) => talentCards.findByCardNumbers(numbers)),
  };
}

export type TalentCardLoaders = ReturnType<typeof createTalentCardLoaders>;
