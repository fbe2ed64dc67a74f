/**
 * @testSystem in-process: nothing here needs a port or a process of its own.
 */
import { PROVINCES, encodeGlobalId } from '../../shared/src';
import { DEMO_SEEDS, seededId } from '../support/demoData';
import { gateway, onlyError, tokenFor } from '../support/system';

const { sichuan, chongqing } = DEMO_SEEDS;
const instrumentId = (province: 'sichuan' | 'chongqing', code: string) =>
  encodeGlobalId(PROVINCES[province], 'instrument', seededId(province, 'instrument', code));

describe('one request, both provinces', () => {
  it('answers a dashboard query from both registries at once', async () => {
    const { status, body } = await gateway(`
      query Dashboard {
        sichuan { province name instruments(first: 5) { totalCount edges { node { id province name } } } labs { id } }
        chongqing { province name instruments(first: 5) { totalCount edges { node { id province name } } } labs { id } }
      }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    for (const [key, seed] of [['sichuan', sichuan], ['chongqing', chongqing]] as const) {
      const registry = body.data[key];
      expect(registry.province).toBe(PROVINCES[key].code);
      expect(registry.instruments.totalCount).toBe(seed.instruments.length);
      expect(registry.labs.map((lab: { id: string }) => lab.id).sort()).toEqual(
        seed.labs.map((lab) => encodeGlobalId(PROVINCES[key], 'lab', seededId(key, 'lab', lab.code))).sort(),
      );
      for (const { node } of registry.instruments.edges) {
        expect(node.province).toBe(PROVINCES[key].code);
        expect(node.id.startsWith(`${PROVINCES[key].idPrefix}:instrument:`)).toBe(true);
      }
    }
  });

  it('answers aliases named like what plain objects inherit (__proto__, constructor, toString) as fields', async () => {
    const { status, body } = await gateway(`{
      __proto__: sichuan { constructor: province toString: instruments(first: 1) { hasOwnProperty: edges { __proto__: node { province } } } }
      valueOf: chongqing { province }
    }`);
    expect(status).toBe(200);
    // Parsed from the answer's text, `__proto__` is a key like any other: compared with the text the answer must be.
    const [sc, cq] = [PROVINCES.sichuan.code, PROVINCES.chongqing.code];
    expect(body).toEqual(JSON.parse(
      `{"data":{"__proto__":{"constructor":"${sc}","toString":{"hasOwnProperty":[{"__proto__":{"province":"${sc}"}}]}},"valueOf":{"province":"${cq}"}}}`,
    ));
  });

  it('filters and pages instruments with cursors, without gaps or repeats', async () => {
    const category = 'GENE_SEQUENCER';
    const expected = sichuan.instruments.filter((i) => i.category === category).map((i) => i.name).sort();
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await gateway<any>(
        `query Page($after: String) { sichuan { instruments(filter: { category: "${category}" }, first: 2, after: $after) {
          totalCount edges { cursor node { name category } } pageInfo { hasNextPage endCursor } } } }`,
        { variables: { after } },
      );
      const connection: any = response.body.data.sichuan.instruments;
      expect(connection.totalCount).toBe(expected.length);
      seen.push(...connection.edges.map((edge: any) => edge.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('finds instruments by keyword, in English or Chinese, and by bookability', async () => {
    const target = chongqing.instruments.find((i) => i.openForSharing && i.status === 'IN_SERVICE')!;
    const word = target.model.split(/\s+/)[0]!;
    const { body } = await gateway(
      `query Search($f: InstrumentFilter) { chongqing { instruments(filter: $f, first: 100) { totalCount edges { node { name model bookable } } } } }`,
      { variables: { f: { keyword: word, bookableOnly: true } } },
    );
    const nodes = body.data.chongqing.instruments.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.name)).toContain(target.name);
    expect(nodes.every((n: any) => n.bookable)).toBe(true);

    const zh = await gateway(`query Search($f: InstrumentFilter) { chongqing { instruments(filter: $f) { edges { node { nameZh } } } } }`, {
      variables: { f: { keyword: target.nameZh } },
    });
    expect(zh.body.data.chongqing.instruments.edges.map((e: any) => e.node.nameZh)).toContain(target.nameZh);
  });
});

describe('global ids route to their owner', () => {
  it.each(['sichuan', 'chongqing'] as const)('resolves a %s instrument id in its own province', async (province) => {
    const seedInstrument = DEMO_SEEDS[province].instruments[0]!;
    const id = instrumentId(province, seedInstrument.code);
    const { body } = await gateway(`query One($id: ID!) { instrument(id: $id) { __typename id province name institution } }`, { variables: { id } });
    expect(body.errors).toBeUndefined();
    expect(body.data.instrument).toEqual({
      __typename: `${PROVINCES[province].typePrefix}Instrument`,
      id,
      province: PROVINCES[province].code,
      name: seedInstrument.name,
      institution: seedInstrument.institution,
    });
  });

  it('refuses a Chongqing id asked of the Sichuan registry, saying where to ask', async () => {
    const id = instrumentId('chongqing', chongqing.instruments[0]!.code);
    const { status, body } = await gateway(`query One($id: ID!) { sichuan { instrument(id: $id) { name } } }`, { variables: { id } });
    expect(status).toBe(200);
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/belongs to Chongqing/);
    expect(error.message).not.toMatch(/SELECT|stack|at .*\.ts/);
  });

  it('refuses malformed and unknown-prefix ids with BAD_USER_INPUT', async () => {
    for (const id of ['42', 'bj:instrument:9a68c900-431f-560a-9f63-e5bdd96763d9', 'sc:instrument:not-a-uuid', "sc:instrument:' OR 1=1 --"]) {
      const { body } = await gateway(`query One($id: ID!) { instrument(id: $id) { name } }`, { variables: { id } });
      const error = onlyError(body);
      expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/not a valid id/);
    }
  });
});

describe('joint labs', () => {
  it('lists the partner province’s instruments with the fields only the partner holds', async () => {
    const jinfeng = chongqing.labs.find((lab) => lab.name === 'Jinfeng Laboratory')!;
    expect(jinfeng.jointlyBuilt).toBe(true);
    const labId = encodeGlobalId(PROVINCES.chongqing, 'lab', seededId('chongqing', 'lab', jinfeng.code));
    const { body } = await gateway(
      `query Lab($id: ID!) { lab(id: $id) { __typename name jointlyBuilt partnerProvince
         instruments { __typename id province name ... on SichuanInstrument { assetCode institution hourlyFee lab { name } } } } }`,
      { variables: { id: labId } },
    );
    expect(body.errors).toBeUndefined();
    const lab = body.data.lab;
    expect(lab).toMatchObject({ __typename: 'ChongqingLab', name: 'Jinfeng Laboratory', jointlyBuilt: true, partnerProvince: 'SICHUAN' });
    const fromSichuan = lab.instruments.filter((i: any) => i.__typename === 'SichuanInstrument');
    expect(fromSichuan.map((i: any) => i.assetCode).sort()).toEqual([...jinfeng.partnerInstrumentCodes].sort());
    for (const instrument of fromSichuan) {
      const seed = sichuan.instruments.find((i) => i.code === instrument.assetCode)!;
      expect(instrument).toMatchObject({ province: 'SICHUAN', name: seed.name, institution: seed.institution, hourlyFee: seed.hourlyFeeYuan });
      const ownLab = sichuan.labs.find((l) => l.code === seed.labCode);
      expect(instrument.lab?.name ?? null).toBe(ownLab?.name ?? null);
    }
    const own = lab.instruments.filter((i: any) => i.__typename === 'ChongqingInstrument');
    expect(own.length).toBe(chongqing.instruments.filter((i) => i.labCode === jinfeng.code).length);
  });

  it('lists only joint labs when asked, in both provinces', async () => {
    const { body } = await gateway(`{ sichuan { labs(jointOnly: true) { name partnerProvince } } chongqing { labs(jointOnly: true) { name partnerProvince } } }`);
    expect(body.data.sichuan.labs.map((l: any) => l.name).sort()).toEqual(sichuan.labs.filter((l) => l.jointlyBuilt).map((l) => l.name).sort());
    expect(body.data.chongqing.labs.map((l: any) => l.name).sort()).toEqual(chongqing.labs.filter((l) => l.jointlyBuilt).map((l) => l.name).sort());
    expect(body.data.chongqing.labs.every((l: any) => l.partnerProvince === 'SICHUAN')).toBe(true);
    expect(body.data.sichuan.labs.every((l: any) => l.partnerProvince === 'CHONGQING')).toBe(true);
  });
});

describe('talent cards and mutual recognition', () => {
  it("shows li.wei's Tianfu card with the services Chongqing grants at its tier", async () => {
    const token = await tokenFor('li.wei');
    const { body } = await gateway(
      `{ me { displayName sichuanTalentCard { __typename cardName cardNumber tier valid holder { displayName }
           partnerRecognitions { code serviceProvince provider minimumTier } } } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    const card = body.data.me.sichuanTalentCard;
    const seedCard = sichuan.talentCards.find((c) => c.holderUsername === 'li.wei')!;
    expect(card).toMatchObject({ __typename: 'SichuanTalentCard', cardName: 'Tianfu Talent Card', cardNumber: seedCard.cardNumber, tier: 'B', valid: true });
    expect(card.holder.displayName).toBe('Li Wei');
    // A B-tier card: every item of Chongqing's seeded catalogue but the medical green channel, which asks for tier A.
    expect(card.partnerRecognitions.map((r: any) => r.code).sort()).toEqual([
      'CHILD_EDUCATION', 'CULTURE_TOURISM', 'EXIT_ENTRY', 'INSTRUMENT_SHARING_VOUCHER', 'SPOUSE_EMPLOYMENT', 'TALENT_HOUSING', 'TRANSPORT_TRAVEL',
    ]);
    expect(card.partnerRecognitions.every((r: any) => r.serviceProvince === 'CHONGQING')).toBe(true);
  });

  it("shows chen.jing's Chongqing card with Sichuan's services, found by card number", async () => {
    const token = await tokenFor('chen.jing');
    const seedCard = chongqing.talentCards.find((c) => c.holderUsername === 'chen.jing')!;
    const { body } = await gateway(
      `query Card($n: String!) { chongqing { talentCard(cardNumber: $n) { cardName tier partnerRecognitions { code serviceProvince } } } }`,
      { token, variables: { n: seedCard.cardNumber } },
    );
    expect(body.errors).toBeUndefined();
    const card = body.data.chongqing.talentCard;
    expect(card.cardName).toBe('Chongqing Talent Service Card');
    // An A-tier card: all eight items of Sichuan's seeded catalogue.
    expect(card.tier).toBe('A');
    expect(card.partnerRecognitions.map((r: any) => r.code).sort()).toEqual([
      'CHILD_EDUCATION', 'CULTURE_TOURISM', 'EXIT_ENTRY', 'INSTRUMENT_SHARING_VOUCHER', 'MEDICAL_GREEN_CHANNEL', 'SPOUSE_EMPLOYMENT', 'TALENT_HOUSING', 'TRANSPORT_TRAVEL',
    ]);
    expect(card.partnerRecognitions.every((r: any) => r.serviceProvince === 'SICHUAN')).toBe(true);
  });

  it('lists each province’s eight-item recognition catalogue', async () => {
    const { body } = await gateway(`{ sichuan { recognitionCatalog { code serviceProvince } } chongqing { recognitionCatalog { code serviceProvince } } }`);
    expect(body.data.sichuan.recognitionCatalog).toHaveLength(8);
    expect(body.data.chongqing.recognitionCatalog).toHaveLength(8);
    expect(body.data.sichuan.recognitionCatalog.map((r: any) => r.code).sort()).toEqual(body.data.chongqing.recognitionCatalog.map((r: any) => r.code).sort());
  });

  it('keeps talent cards from anonymous callers', async () => {
    const { body } = await gateway(`{ sichuan { talentCard(cardNumber: "TF-2024-000128") { holderName } } }`);
    expect(onlyError(body).extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(body.data.sichuan.talentCard).toBeNull();
  });

  it("does not show one researcher another's card through a global lookup of their user", async () => {
    const token = await tokenFor('chen.jing');
    const card = sichuan.talentCards.find((c) => c.holderUsername === 'li.wei')!;
    const id = encodeGlobalId(PROVINCES.sichuan, 'talentcard', seededId('sichuan', 'talentcard', card.cardNumber));
    const { body } = await gateway(`query C($id: ID!) { talentCard(id: $id) { cardNumber holder { sichuanTalentCard { tier } } } }`, { token, variables: { id } });
    // Only the holder and admins see a card; another researcher checks it with verifyTalentCard.
    expect(body.data.talentCard).toBeNull();
    expect(onlyError(body)).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/verifyTalentCard/) });
    const own = await gateway(`query C($id: ID!) { talentCard(id: $id) { cardNumber holder { sichuanTalentCard { tier } } } }`, { token: await tokenFor('li.wei'), variables: { id } });
    expect(own.body).toEqual({ data: { talentCard: { cardNumber: card.cardNumber, holder: { sichuanTalentCard: { tier: card.tier } } } } });
  });
});

describe('the in-process system this file runs on', () => {
  it('federates the three subgraphs with no port open in this process', async () => {
    const { body } = await gateway('query Both { sichuan { province } chongqing { province } }');
    expect(body).toEqual({ data: { sichuan: { province: 'SICHUAN' }, chongqing: { province: 'CHONGQING' } } });
    // A listening socket is a TCPServerWrap; the PostgreSQL connections are client sockets (TCPWrap).
    expect(process.getActiveResourcesInfo()).not.toContain('TCPServerWrap');
  });
});
