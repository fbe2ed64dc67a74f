import { randomUUID } from 'node:crypto';
import { getNamedType, isLeafType, type GraphQLObjectType } from 'graphql';
import type { DataSource } from 'typeorm';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ClientStatusDirectory, PROVINCES, createLogger, encodeGlobalId, type Viewer } from '../../../../shared/src';
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

async function run(query: string, variables: Record<string, unknown> = {}, viewer: Viewer | null = null) {
  counter.statements = [];
  const response = await server.executeOperation(
    { query, variables },
    { contextValue: await subgraph.createContext({ viewer, requestId: 'statement-count' }) },
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

  it('answers every field of a lab loaded by id (its card columns) as of the whole row, and reads no timestamp', async () => {
    const labType = subgraph.schema.getType('SichuanLab') as GraphQLObjectType;
    // Every field the schema has, so that a field added later is compared too; the instruments by reference.
    const fields = Object.values(labType.getFields()).map((field) => (isLeafType(getNamedType(field.type)) ? field.name : `${field.name} { __typename ... on SichuanInstrument { id } }`));
    const whole = (await run(`{ sichuan { labs { ${fields.join(' ')} } } }`)).sichuan.labs;
    expect(whole.length).toBeGreaterThan(2);
    expect(whole.some((lab: any) => lab.partnerProvince) && whole.some((lab: any) => !lab.partnerProvince)).toBe(true);
    const representations = whole.map((lab: any) => ({ __typename: 'SichuanLab', id: lab.id }));
    const byId = await run(`query Labs($representations: [_Any!]!) { _entities(representations: $representations) { ... on SichuanLab { ${fields.join(' ')} } } }`, { representations });
    expect(byId._entities).toEqual(whole);
    const labStatement = counter.statements.find((statement) => /FROM "labs" e/.test(statement))!;
    expect(labStatement).not.toMatch(/created_at|updated_at/);
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
  describe("the issuer's capture and release of a hold", () => {
    /** A Sichuan voucher of 10,000 fen of `holderUserId` with `heldFen` of it held (the hold written by heldVoucher). */
    async function voucher(heldFen: number, holderUserId = randomUUID()) {
      const voucherId = randomUUID();
      await dataSource.query(
        `INSERT INTO vouchers (id, holder_user_id, holder_name, issued_fen, available_fen, held_fen, valid_from, valid_until, accepted_in, max_share_percent, issued_by)
         VALUES ($1, $2, 'Statement count', 10000, $3, $4, now() - interval '1 day', now() + interval '30 days', '{sichuan,chongqing}', 100, 'test')`,
        [voucherId, holderUserId, 10000 - heldFen, heldFen],
      );
      return voucherId;
    }
    /** A Sichuan voucher of 10,000 fen with a hold of 1,000 for a Chongqing charge, written as a reservation leaves them. */
    async function heldVoucher() {
      const voucherId = await voucher(1000);
      const holdKey = randomUUID();
      await dataSource.query(
        `INSERT INTO voucher_holds (id, voucher_id, hold_key, serving_province, charge_ref, amount_fen, charge_amount_fen, status, expires_at)
         VALUES ($1, $2, $3, 'chongqing', 'cq:charge:x', 1000, 4000, 'HELD', now() + interval '10 minutes')`,
        [randomUUID(), voucherId, holdKey],
      );
      return { voucherId: encodeGlobalId(sichuan, 'voucher', voucherId), localId: voucherId, holdKey };
    }
    const settle = (step: 'capture' | 'release', hold: { voucherId: string; holdKey: string }, servingProvince = 'CHONGQING') =>
      run(`mutation S($voucherId: ID!, $holdKey: ID!) {
        hold: ${step}SichuanVoucherHold(voucherId: $voucherId, holdKey: $holdKey, servingProvince: ${servingProvince}) { status amountFen releaseReason }
      }`, hold);
    const balance = async (localId: string) => (await dataSource.query(
      'SELECT available_fen::int AS available, held_fen::int AS held, captured_fen::int AS captured FROM vouchers WHERE id = $1', [localId],
    ))[0];

    it('reserves in one transaction of three statements: the voucher locked, what the rules need, the hold with its balance change', async () => {
      const holderUserId = randomUUID();
      const localId = await voucher(0, holderUserId);
      const holder: Viewer = {
        subject: holderUserId, kind: 'user', province: 'sichuan', roles: ['researcher'], scopes: [], displayName: 'Holder', institution: null,
        affiliation: null, quota: null, delegation: null,
      };
      const reserve = (holdKey: string, amountFen: number) => run(`mutation R($voucherId: ID!, $holdKey: ID!, $amountFen: Int!) {
        hold: reserveSichuanVoucher(voucherId: $voucherId, amountFen: $amountFen, chargeAmountFen: 9000, servingProvince: CHONGQING, chargeRef: "cq:charge:x", holdKey: $holdKey) {
          status amountFen
        } }`, { voucherId: encodeGlobalId(sichuan, 'voucher', localId), holdKey, amountFen }, holder);
      const holdKey = randomUUID();
      expect((await reserve(holdKey, 4000)).hold).toEqual({ status: 'HELD', amountFen: 4000 });
      expect(counter.statements.map((statement) => statement.trim().split(/\s+/)[0]!.toUpperCase())).toEqual(['START', 'SELECT', 'SELECT', 'WITH', 'COMMIT']);
      expect(await balance(localId)).toEqual({ available: 6000, held: 4000, captured: 0 });
      // A repeat answers the hold; what this voucher already holds for the charge counts against its share.
      expect((await reserve(holdKey, 4000)).hold).toEqual({ status: 'HELD', amountFen: 4000 });
      expect((await reserve(randomUUID(), 3000)).hold).toEqual({ status: 'HELD', amountFen: 3000 });
      expect(await balance(localId)).toEqual({ available: 3000, held: 7000, captured: 0 });
      const history = await dataSource.query('SELECT kind, amount_fen::int AS amount, available_after_fen::int AS after FROM voucher_events WHERE voucher_id = $1 ORDER BY id', [localId]);
      expect(history).toEqual([{ kind: 'HELD', amount: 4000, after: 6000 }, { kind: 'HELD', amount: 3000, after: 3000 }]);
    });

    it.each(['capture', 'release'] as const)('%ss a held hold in one statement, outside any transaction; a repeat answers the same', async (step) => {
      const hold = await heldVoucher();
      const settled = (await settle(step, hold)).hold;
      expect(settled).toEqual(step === 'capture'
        ? { status: 'CAPTURED', amountFen: 1000, releaseReason: null }
        : { status: 'RELEASED', amountFen: 1000, releaseReason: 'RELEASED' });
      expect(counter.statements).toHaveLength(1);
      expect(await balance(hold.localId)).toEqual(step === 'capture' ? { available: 9000, held: 0, captured: 1000 } : { available: 10000, held: 0, captured: 0 });
      const history = await dataSource.query('SELECT kind, amount_fen::int AS amount, available_after_fen::int AS after FROM voucher_events WHERE voucher_id = $1', [hold.localId]);
      expect(history).toEqual([{ kind: step === 'capture' ? 'CAPTURED' : 'RELEASED', amount: 1000, after: step === 'capture' ? 9000 : 10000 }]);

      // Settled already: both steps answer it as it is, under the voucher's lock, and nothing moves.
      expect((await settle('capture', hold)).hold).toEqual(settled);
      expect(counter.statements.some((statement) => /START TRANSACTION/i.test(statement))).toBe(true);
      expect((await settle('release', hold)).hold).toEqual(settled);
      expect(await balance(hold.localId)).toEqual(step === 'capture' ? { available: 9000, held: 0, captured: 1000 } : { available: 10000, held: 0, captured: 0 });
    });

    it('settles nothing for a hold named with another serving province, or expired, but answers it as the rules say', async () => {
      const hold = await heldVoucher();
      const wrong = await server.executeOperation(
        { query: `mutation { captureSichuanVoucherHold(voucherId: "${hold.voucherId}", holdKey: "${hold.holdKey}", servingProvince: SICHUAN) { status } }` },
        { contextValue: await subgraph.createContext({ viewer: null, requestId: 'statement-count' }) },
      );
      // This server has no error formatting: the domain's refusal (CONFLICT through the service's server) by its message.
      expect(wrong.body.kind === 'single' && wrong.body.singleResult.errors?.[0]?.message).toMatch(/names a hold of another voucher or serving province/);
      expect(await balance(hold.localId)).toEqual({ available: 9000, held: 1000, captured: 0 });

      await dataSource.query("UPDATE voucher_holds SET expires_at = now() - interval '1 second' WHERE hold_key = $1", [hold.holdKey]);
      expect((await settle('capture', hold)).hold).toEqual({ status: 'RELEASED', amountFen: 1000, releaseReason: 'EXPIRED' });
      expect(await balance(hold.localId)).toEqual({ available: 10000, held: 0, captured: 0 });
    });

    it('settles a hold raced by captures and releases at once exactly once, each answering the outcome', async () => {
      const holds = await Promise.all(Array.from({ length: 6 }, heldVoucher));
      for (const hold of holds) {
        const answers = await Promise.all((['capture', 'release', 'capture', 'release'] as const).map((step) => settle(step, hold)));
        const outcome = answers[0].hold;
        expect(answers.map((answer) => answer.hold)).toEqual([outcome, outcome, outcome, outcome]);
        expect(await balance(hold.localId)).toEqual(outcome.status === 'CAPTURED' ? { available: 9000, held: 0, captured: 1000 } : { available: 10000, held: 0, captured: 0 });
        const [{ steps }] = await dataSource.query('SELECT count(*)::int AS steps FROM voucher_events WHERE voucher_id = $1', [hold.localId]);
        expect(steps).toBe(1);
      }
    });
  });
});
