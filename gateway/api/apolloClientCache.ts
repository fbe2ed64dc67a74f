/**
 * The cache configuration a partner's Apollo Client needs for this API; copy it beside
 * `possibleTypes.json` (test/e2e/partnerClient.test.ts runs it against the gateway):
 *
 *   new ApolloClient({ link, cache: new InMemoryCache(shuangchengCache) })
 */
import type { InMemoryCacheConfig } from '@apollo/client';
import possibleTypes from './possibleTypes.json';

export const shuangchengCache = {
  // Instrument, Lab, Booking, TalentCard and TalentCardVerification are interfaces: without their members the
  // cache cannot tell that a SichuanInstrument matches `... on Instrument`, and reads of such fragments miss.
  possibleTypes,
  typePolicies: {
    // One registry per province. Both carry a stable `id`, but a query need not select it: as singletons they
    // merge whatever fields two queries select instead of the second replacing the first.
    SichuanRegistry: { keyFields: [] },
    ChongqingRegistry: { keyFields: [] },
    // `me` is normalised by `id` when a query selects it; merged, not replaced, when one does not.
    User: { merge: true },
  },
} satisfies InMemoryCacheConfig;
