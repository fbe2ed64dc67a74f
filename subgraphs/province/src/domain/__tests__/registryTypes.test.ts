import { tierMeets, type TalentTier } from '../registryTypes';

const TIERS: TalentTier[] = ['A', 'B', 'C', 'D'];

/** Expected result of tierMeets(tier, minimum): A is the highest tier. */
const TABLE: Record<TalentTier, Record<TalentTier, boolean>> = {
  A: { A: true, B: true, C: true, D: true },
  B: { A: false, B: true, C: true, D: true },
  C: { A: false, B: false, C: true, D: true },
  D: { A: false, B: false, C: false, D: true },
};

describe('tierMeets', () => {
  it.each(TIERS.flatMap((tier) => TIERS.map((minimum) => [tier, minimum, TABLE[tier][minimum]] as const)))(
    'a %s card against a minimum of %s → %s',
    (tier, minimum, expected) => {
      expect(tierMeets(tier, minimum)).toBe(expected);
    },
  );

  it('lets A meet every minimum and D only D', () => {
    expect(TIERS.filter((minimum) => tierMeets('A', minimum))).toEqual(TIERS);
    expect(TIERS.filter((minimum) => tierMeets('D', minimum))).toEqual(['D']);
  });
});
