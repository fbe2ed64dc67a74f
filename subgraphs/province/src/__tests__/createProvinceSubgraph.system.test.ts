import type { DataSource } from 'typeorm';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ClientStatusDirectory, PROVINCES, createLogger, encodeGlobalId } from '../../../../shared/src';
import { StatementLog, testSystem } from '../../../../test/support';
import { createProvinceDataSource } from '../provinceDataSource';
import { createProvinceSubgraph, type ProvinceSubgraph } from '../createProvinceSubgraph';
import type { ProvinceContext } from '../ProvinceContext';
import { DEMO_SEEDS, seededId } from '../seeds';
import { INSTRUMENT_CARD_FIELDS } from '../instruments/instrumentResolvers';
import { WebhookSecretBox, developmentKeyMaterial, parseWebhookSecretKeys, type WebhookSecretKeyring } from '../events/delivery/webhookSecretKeys';

const { sichuan, chongqing } = PROVINCES;
const counter = new StatementLog();
let dataSource: DataSource;
let subgraph: ProvinceSubgraph;
let server: ApolloServer<ProvinceContext>;

beforeAll(async () => {
  // The file's own database exists once the system set-up (setupFileSystem.ts) has run.
  dataSource = createProvinceDataSource(sichuan, testSystem().databaseUrls.sichuan, 2);
  dataSource.setOptions({ logging: ['query'], logger: counter });
  await dataSource.initialize();
  // Anonymous requests only: no partner client is ever looked up.
  const clientStandings = new ClientStatusDirectory({ load: async () => ({ clients: [], revokedConsents: [] }), maxAgeMs: 60_000, maxStaleMs: 60_000 });
  const webhookSecrets = new WebhookSecretBox(parseWebhookSecretKeys(`dev:${developmentKeyMaterial('sichuan')}`) as WebhookSecretKeyring);
  // Nothing here issues a voucher, so the platform is never asked whether a person exists.
  const people = { findUnknown: async () => { throw new Error('the platform is not part of this test'); } };
  subgraph = createProvinceSubgraph(sichuan, chongqing, dataSource, { clientStandings, webhookSecrets, people, logger: createLogger('statement-count', 'silent') });
  server = new ApolloServer<ProvinceContext>({ schema: subgraph.schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await server.start();
});
afterAll(async () => {
  await server.stop();
  await dataSource.destroy();
});

async function run(query: string, variables: Record<string, unknown> = {}) {
  counter.statements = [];
  const response = await server.executeOperation(
    { query, variables },
    { contextValue: await subgraph.createContext({ viewer: null, requestId: 'statement-count' }) },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  expect(response.body.singleResult.errors).toBeUndefined();
  return response.body.singleResult.data as any;
}

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on SichuanInstrument { id name lab { name } } }
}`;

describe('createProvinceSubgraph', () => {
  it.each([1, 10, 40])('resolves %i instrument references with one statement per entity type', async (count) => {
    const representations = DEMO_SEEDS.sichuan.instruments.slice(0, count).map((instrument) => ({
      __typename: 'SichuanInstrument',
      id: encodeGlobalId(sichuan, 'instrument', seededId('sichuan', 'instrument', instrument.code)),
    }));
    const data = await run(ENTITIES, { representations });
    expect(data._entities).toHaveLength(count);
    expect(data._entities.every((entity: any) => entity?.name)).toBe(true);
    expect(counter.reading('instruments')).toBe(1);
    expect(counter.reading('labs')).toBe(1);
    expect(counter.statements).toHaveLength(2);
  });

  it('lists every lab with its own and partner instruments in a fixed number of statements', async () => {
    const data = await run(`{ sichuan { labs { name instruments { __typename id ... on SichuanInstrument { name lab { name } } } } } }`);
    expect(data.sichuan.labs).toHaveLength(DEMO_SEEDS.sichuan.labs.length);
    const partnerReferences = data.sichuan.labs.flatMap((lab: any) => lab.instruments).filter((i: any) => i.__typename === 'ChongqingInstrument');
    expect(partnerReferences).toHaveLength(DEMO_SEEDS.sichuan.labs.flatMap((lab) => lab.partnerInstrumentCodes).length);
    // The labs list, the own instruments of all labs, the partner links of joint labs; the instruments' labs are already known.
    expect(counter.reading('labs')).toBe(1);
    expect(counter.statements).toHaveLength(3);
  });

  it('pages instruments with two statements (page and count), one without the count, a keyword adding its vocabulary lookup', async () => {
    await run(`{ sichuan { instruments(first: 50) { totalCount edges { node { name } } } } }`);
    expect(counter.statements).toHaveLength(2);
    await run(`{ sichuan { instruments(first: 50, filter: { bookableOnly: true }) { edges { node { name } } } } }`);
    expect(counter.statements).toHaveLength(1);
    expect(counter.statements[0]).not.toMatch(/OFFSET/i);
    await run(`{ sichuan { instruments(first: 50, filter: { keyword: "microscope", bookableOnly: true }) { edges { node { name } } } } }`);
    expect(counter.statements).toHaveLength(2);
    expect(counter.statements.some((statement) => /OFFSET/i.test(statement))).toBe(false);
  });

  describe('a page of instruments asked only for card fields', () => {
    /** Every card field; `lab` with what a card shows of it. */
    const CARD = [...INSTRUMENT_CARD_FIELDS].map((field) => (field === 'lab' ? 'lab { id name }' : field)).join(' ');
    const pageStatement = () => counter.statements.find((statement) => /FROM instruments i WHERE i\.id IN/.test(statement))!;
    const readsWholeRow = () => ['"description"', '"services"', '"created_at"'].every((column) => pageStatement().includes(column));

    it('reads only the card columns, and answers every card field as from the whole row', async () => {
      const card = await run(`{ sichuan { instruments(first: 100) { edges { cursor node { ${CARD} } } } } }`);
      expect(pageStatement()).not.toMatch(/"description"|"created_at"|"services"/);
      // Asking one field more that is not on the card reads the whole row.
      const whole = await run(`{ sichuan { instruments(first: 100) { edges { cursor node { ${CARD} description } } } } }`);
      expect(readsWholeRow()).toBe(true);
      const edges = whole.sichuan.instruments.edges;
      expect(edges.length).toBeGreaterThan(10);
      expect(edges.some((edge: any) => edge.node.lab) && edges.some((edge: any) => !edge.node.lab)).toBe(true);
      expect(card.sichuan.instruments.edges).toEqual(edges.map(({ cursor, node: { description: _, ...node } }: any) => ({ cursor, node })));
    });

    it('reads the whole row for a field beyond the card asked through an alias, a fragment or an inline fragment', async () => {
      for (const selection of ['other: services', '...More', '... on SichuanInstrument { purchaseDate }', '... @include(if: true) { openFromHour }']) {
        const fragment = selection === '...More' ? ' fragment More on SichuanInstrument { description }' : '';
        const data = await run(`{ sichuan { instruments(first: 3) { edges { node { name ${selection} } } } } }${fragment}`);
        expect(data.sichuan.instruments.edges).toHaveLength(3);
        expect(readsWholeRow()).toBe(true);
      }
    });
  });

  it('pages a keyword and category search with the same statements a page, deep pages included, in one order', async () => {
    const filter = `{ category: "CRYO_EM", keyword: "microscope" }`;
    const all = await run(`{ sichuan { instruments(first: 100, filter: ${filter}) { edges { node { id } } } } }`);
    const expected = all.sichuan.instruments.edges.map((edge: any) => edge.node.id);
    expect(expected.length).toBeGreaterThan(2);

    const paged: string[] = [];
    let after: string | null = null;
    do {
      const data = await run(
        `query Page($after: String) { sichuan { instruments(first: 2, after: $after, filter: ${filter}) { edges { node { id lab { name } } } pageInfo { hasNextPage endCursor } } } }`,
        { after },
      );
      const page = data.sichuan.instruments;
      paged.push(...page.edges.map((edge: any) => edge.node.id));
      // The keyword's words, the page (its ids picked in the same statement) and the labs of its instruments.
      expect(counter.reading('instruments')).toBe(1);
      expect(counter.statements.length).toBeLessThanOrEqual(3);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(expected);
  });
});
