/**
 * What a partner's client does: real Apollo Client over HTTP against the gateway, with the cache
 * configuration the README recommends (gateway/api/apolloClientCache.ts) and the operations typed by
 * GraphQL Code Generator from the published schema (partnerClient.graphql → partnerClient.generated.ts).
 */
import { ApolloClient, HttpLink, InMemoryCache, type InMemoryCacheConfig } from '@apollo/client';
import { shuangchengCache } from '../../gateway/api/apolloClientCache';
import { SlotAllocator, book, createInstrument } from '../support/registryFixtures';
import { testSystem, tokenFor } from '../support/system';
import {
  OnInterfaceFragmentDoc, PartnerBookingsDocument, PartnerFirstDocument, PartnerInstrumentDocument, PartnerSecondDocument,
} from './partnerClient.generated';

async function clientWith(cache: InMemoryCacheConfig, username = 'li.wei') {
  const token = await tokenFor(username);
  return new ApolloClient({
    link: new HttpLink({ uri: testSystem().gatewayUrl, headers: { authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache(cache),
  });
}

/** Two queries selecting different fields of the same registry and person, then a re-read of the first from the cache. */
async function rereadAfterTwoQueries(client: ApolloClient) {
  const first = await client.query({ query: PartnerFirstDocument });
  await client.query({ query: PartnerSecondDocument });
  return { first: first.data, reread: client.readQuery({ query: PartnerFirstDocument }) };
}

describe('Apollo Client against the gateway', () => {
  it('with the recommended cache, re-reads the first of two overlapping queries from the cache', async () => {
    const client = await clientWith(shuangchengCache);
    const { first, reread } = await rereadAfterTwoQueries(client);
    expect(first?.sichuan?.instruments.edges).toHaveLength(3);
    expect(first?.me?.username).toBe('li.wei');
    expect(reread).toEqual(first);
    const second = client.readQuery({ query: PartnerSecondDocument });
    expect(second?.sichuan).toMatchObject({ id: 'sichuan', nameZh: expect.any(String) });
    expect(second?.sichuan?.labs.length).toBeGreaterThan(0);
  });

  it('with the default cache, the same re-read loses the data (why the recommendation exists)', async () => {
    const client = await clientWith({});
    const { reread } = await rereadAfterTwoQueries(client);
    expect(reread).toBeNull();
  });

  it('matches fragments on an interface only with possibleTypes', async () => {
    const withTypes = await clientWith(shuangchengCache);
    const without = await clientWith({});
    const { data } = await withTypes.query({ query: PartnerFirstDocument });
    const id = data!.sichuan!.instruments.edges[0]!.node.id;
    for (const client of [withTypes, without]) await client.query({ query: PartnerInstrumentDocument, variables: { id } });
    const read = (client: ApolloClient) =>
      client.readFragment({ id: client.cache.identify({ __typename: 'SichuanInstrument', id }), fragment: OnInterfaceFragmentDoc });
    expect(read(withTypes)).toMatchObject({ name: expect.any(String), province: 'SICHUAN' });
    // Without them the cache holds the fields but cannot tell the fragment applies, so it answers none of them.
    expect(read(without)).toEqual({ __typename: 'SichuanInstrument' });
  });

  it('types DateTime as the ISO string the API sends', async () => {
    const slot = new SlotAllocator(3).take();
    await book('sichuan', await tokenFor('chen.jing'), await createInstrument('sichuan'), slot);
    const client = await clientWith(shuangchengCache, 'chen.jing');
    const { data } = await client.query({ query: PartnerBookingsDocument });
    const bookings = data?.me?.sichuanBookings ?? [];
    expect(bookings.map((booking) => booking.start)).toContain(slot.start);
    for (const booking of bookings) {
      // `start: string` is what codegen's DateTime mapping declares; tsc checks this file against it.
      const start: string = booking.start;
      expect(new Date(start).toISOString()).toBe(start);
    }
  });
});
