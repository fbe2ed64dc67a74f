// TODO(#10): test/e2e/talentCards.test.ts still computes its expectations with
// cstDay from this path; delete this file once that test writes them itself.
// The card rules live in talentCards/talentCardRules.ts, the day rule in shared/src/time/chinaTime.ts.
export { chinaDay as cstDay } from '../../../../shared/src';
