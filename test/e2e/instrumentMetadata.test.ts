/**
 * @testSystem in-process: nothing here needs a port or a process of its own.
 *
 * The standard metadata of instruments (GB/T 30523; DB50/T 1014.3) and the categories a province admin keeps,
 * through the gateway: each field's rule, audit records, the classification filter, and a category's life.
 */
import { randomUUID } from 'node:crypto';
import { gateway, onlyError, tokenFor } from '../support/system';

const RUN = randomUUID().slice(0, 8).toUpperCase();
let sequence = 0;
const unique = (label: string) => `${label}-${RUN}-${++sequence}`;

const METADATA = `originalValueFen fundingSource purchaseDate commissioningDate countryOfManufacture classificationCode
  mainSpecifications mainFunctions sharingContactName sharingContactPhone sharingContactEmail`;
const CREATE = `mutation Create($input: InstrumentInput!) { instrument: createSichuanInstrument(input: $input) { id assetCode category ${METADATA} } }`;
const UPDATE = `mutation Update($id: ID!, $input: InstrumentUpdateInput!) { instrument: updateSichuanInstrument(id: $id, input: $input) { id ${METADATA} } }`;
const AUDIT = `query Audit($id: ID) { sichuan { auditLog(entityId: $id, first: 10) { edges { node { action entityType entityId details } } } } }`;

const metadata = {
  originalValueFen: '5200000000',
  fundingSource: 'CENTRAL_FISCAL',
  purchaseDate: '2021-03-15',
  commissioningDate: '2021-09-01',
  countryOfManufacture: 'US',
  classificationCode: '010101',
  mainSpecifications: '300 kV; Falcon 4i detector; 1.8 Å',
  mainFunctions: 'Single-particle analysis',
  sharingContactName: 'Cryo-EM facility office',
  sharingContactPhone: '028-85401234',
  sharingContactEmail: 'cryoem@example.edu.cn',
};

function instrumentInput(overrides: Record<string, unknown> = {}) {
  return {
    assetCode: unique('MD'),
    name: unique('Metadata test cryo-EM'),
    nameZh: '元数据测试冷冻电镜',
    category: 'CRYO_EM',
    institution: 'Sichuan University',
    hourlyFee: 3000,
    services: ['TESTING'],
    openFromHour: 9,
    openToHour: 17,
    ...metadata,
    ...overrides,
  };
}

async function as<T = any>(username: string, query: string, variables: Record<string, unknown> = {}) {
  return gateway<T>(query, { token: await tokenFor(username), variables });
}

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await as<T>('sc.admin', query, variables);
  expect(response.body.errors).toBeUndefined();
  return response.body.data as T;
}

describe('standard metadata of instruments', () => {
  it('is written, read back exactly (a value beyond 2^53 fen included) and audited', async () => {
    const huge = '999999999999999'; // 15 digits, the most the rule allows: beyond Number's exact integers
    const { instrument } = await ok(CREATE, { input: instrumentInput({ originalValueFen: huge }) });
    expect(instrument).toMatchObject({ ...metadata, originalValueFen: huge });
    const audit = await ok(AUDIT, { id: instrument.id });
    const created = audit.sichuan.auditLog.edges.map((edge: any) => edge.node).find((node: any) => node.action === 'instrument.created');
    expect(JSON.parse(created.details)).toMatchObject({ ...metadata, originalValueFen: huge });

    const updated = await ok(UPDATE, { id: instrument.id, input: { fundingSource: 'SELF_RAISED', classificationCode: '010102' } });
    expect(updated.instrument).toMatchObject({ fundingSource: 'SELF_RAISED', classificationCode: '010102', purchaseDate: '2021-03-15' });
    const after = await ok(AUDIT, { id: instrument.id });
    const change = after.sichuan.auditLog.edges.map((edge: any) => edge.node).find((node: any) => node.action === 'instrument.updated');
    expect(JSON.parse(change.details)).toEqual({
      fundingSource: { from: 'CENTRAL_FISCAL', to: 'SELF_RAISED' },
      classificationCode: { from: '010101', to: '010102' },
    });
  });

  it('is optional: an instrument registered without it has none', async () => {
    const input = instrumentInput();
    for (const key of Object.keys(metadata)) delete (input as Record<string, unknown>)[key];
    const { instrument } = await ok(CREATE, { input });
    for (const key of Object.keys(metadata)) expect(instrument[key]).toBeNull();
  });

  it.each([
    ['originalValueFen', '4500000.00', /input\.originalValueFen: must be a whole number of fen/],
    ['originalValueFen', '-5', /input\.originalValueFen: must be a whole number of fen/],
    ['originalValueFen', '1234567890123456', /input\.originalValueFen: must be at most 15 digits/],
    ['purchaseDate', '2021-02-30', /input\.purchaseDate: must be a date written YYYY-MM-DD/],
    ['purchaseDate', '2999-01-01', /input\.purchaseDate: must not be in the future/],
    ['purchaseDate', '1900-01-01', /input\.purchaseDate: must be on or after 1950-01-01/],
    ['commissioningDate', '2020-12-31', /input\.commissioningDate: must not be before purchaseDate \(2021-03-15\)/],
    ['countryOfManufacture', 'cn', /input\.countryOfManufacture: must be a two-letter ISO 3166-1 country code/],
    ['countryOfManufacture', 'XY', /input\.countryOfManufacture: is not an ISO 3166-1 country code/],
    ['countryOfManufacture', 'EU', /input\.countryOfManufacture: is not an ISO 3166-1 country code/],
    ['classificationCode', '0101', /input\.classificationCode: must be six digits/],
    ['classificationCode', '140101', /input\.classificationCode: must start with one of the 13 national classes .*14 is none of them/],
    ['classificationCode', '010001', /input\.classificationCode: must name a subclass and an item/],
    ['mainSpecifications', 'x'.repeat(2001), /input\.mainSpecifications: must be at most 2000 characters/],
    ['mainFunctions', 'bad\u0007text', /input\.mainFunctions: must not contain control characters/],
    ['sharingContactPhone', 'call me', /input\.sharingContactPhone: must be a telephone number/],
    ['sharingContactEmail', 'not-an-address', /input\.sharingContactEmail: must be an e-mail address/],
  ])('refuses a bad %s (case %#), naming the field and the rule', async (field, value, message) => {
    const response = await as('sc.admin', CREATE, { input: instrumentInput({ [field]: value }) });
    const error = onlyError(response.body);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it('refuses an unknown funding source with the enum of the schema', async () => {
    const response = await as('sc.admin', CREATE, { input: instrumentInput({ fundingSource: 'LOTTERY' }) });
    expect(onlyError(response.body).extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('asks a sharing contact for a name and a way to reach them', async () => {
    const noWay = await as('sc.admin', CREATE, { input: instrumentInput({ sharingContactPhone: null, sharingContactEmail: null }) });
    expect(onlyError(noWay.body).message).toMatch(/input\.sharingContactPhone: give a telephone number or an e-mail address/);
    const noName = await as('sc.admin', CREATE, { input: instrumentInput({ sharingContactName: null }) });
    expect(onlyError(noName.body).message).toMatch(/input\.sharingContactName: must name the person or office/);
  });

  it('checks an update against the row it leaves: commissioning before the kept purchase date is refused, nothing changes', async () => {
    const { instrument } = await ok(CREATE, { input: instrumentInput() });
    const response = await as('sc.admin', UPDATE, { id: instrument.id, input: { commissioningDate: '2020-01-01' } });
    expect(onlyError(response.body).message).toMatch(/input\.commissioningDate: must not be before purchaseDate \(2021-03-15\)/);
    const { sichuan } = await ok(`query One($id: ID!) { sichuan { instrument(id: $id) { commissioningDate } } }`, { id: instrument.id });
    expect(sichuan.instrument.commissioningDate).toBe('2021-09-01');
  });

  it('filters by a classification class, subclass or code, and refuses a prefix that names no class', async () => {
    const { instrument } = await ok(CREATE, { input: instrumentInput({ classificationCode: '120305' }) });
    const search = `query Search($code: String!) { sichuan { instruments(filter: { classificationCode: $code }, first: 100) { edges { node { id classificationCode } } } } }`;
    for (const prefix of ['12', '1203', '120305']) {
      const { sichuan } = await ok(search, { code: prefix });
      const nodes = sichuan.instruments.edges.map((edge: any) => edge.node);
      expect(nodes.map((node: any) => node.id)).toContain(instrument.id);
      expect(nodes.every((node: any) => node.classificationCode.startsWith(prefix))).toBe(true);
    }
    const { sichuan } = await ok(search, { code: '1204' });
    expect(sichuan.instruments.edges.map((edge: any) => edge.node.id)).not.toContain(instrument.id);
    for (const bad of ['1', '99', '12a']) {
      const response = await as('sc.admin', search, { code: bad });
      expect(onlyError(response.body).extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('is seeded in both provinces', async () => {
    for (const province of ['sichuan', 'chongqing']) {
      const response = await gateway(`{ ${province} { instruments(first: 100) { edges { node { ${METADATA} } } } } }`);
      const nodes = response.body.data[province].instruments.edges.map((edge: any) => edge.node);
      expect(nodes.length).toBeGreaterThan(10);
      for (const node of nodes.filter((n: any) => n.classificationCode !== null)) {
        expect(node.originalValueFen).toMatch(/^[1-9]\d+$/);
        expect(node.purchaseDate <= node.commissioningDate).toBe(true);
      }
      expect(nodes.filter((n: any) => n.classificationCode !== null).length).toBeGreaterThan(40);
    }
  });
});

const CATEGORIES = `query Categories($all: Boolean) { sichuan { categories(includeRetired: $all) { code nameEn nameZh retired } } }`;
const CREATE_CATEGORY = `mutation C($input: CategoryInput!) { category: createSichuanCategory(input: $input) { code nameEn nameZh retired } }`;
const RENAME_CATEGORY = `mutation R($code: String!, $nameEn: String, $nameZh: String) { category: renameSichuanCategory(code: $code, nameEn: $nameEn, nameZh: $nameZh) { code nameEn nameZh retired } }`;
const RETIRE_CATEGORY = `mutation X($code: String!, $reason: String!) { category: retireSichuanCategory(code: $code, reason: $reason) { code retired } }`;

describe('categories kept by province admins', () => {
  const categoryCode = () => `TEST_${RUN}_${++sequence}`;

  it('are created, renamed and retired, each change audited; a retired one takes no new instrument', async () => {
    const code = categoryCode();
    const created = await ok(CREATE_CATEGORY, { input: { code, nameEn: ' Raman spectrometer ', nameZh: '拉曼光谱仪' } });
    expect(created.category).toEqual({ code, nameEn: 'Raman spectrometer', nameZh: '拉曼光谱仪', retired: false });
    const renamed = await ok(RENAME_CATEGORY, { code, nameEn: 'Confocal Raman spectrometer' });
    expect(renamed.category).toMatchObject({ nameEn: 'Confocal Raman spectrometer', nameZh: '拉曼光谱仪' });

    const { instrument } = await ok(CREATE, { input: instrumentInput({ category: code }) });
    const refused = await as('sc.admin', RETIRE_CATEGORY, { code, reason: 'Merged into SPECTROMETER' });
    expect(onlyError(refused.body)).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringMatching(/still has 1 instrument\(s\) that are not retired/) });
    await ok(`mutation Retire($id: ID!) { retireSichuanInstrument(id: $id, reason: "Moved away") { status } }`, { id: instrument.id });
    const retired = await ok(RETIRE_CATEGORY, { code, reason: 'Merged into SPECTROMETER' });
    expect(retired.category).toEqual({ code, retired: true });

    const listed = await ok(CATEGORIES, { all: false });
    expect(listed.sichuan.categories.map((c: any) => c.code)).not.toContain(code);
    const all = await ok(CATEGORIES, { all: true });
    expect(all.sichuan.categories).toContainEqual({ code, nameEn: 'Confocal Raman spectrometer', nameZh: '拉曼光谱仪', retired: true });

    const filed = await as('sc.admin', CREATE, { input: instrumentInput({ category: code }) });
    expect(onlyError(filed.body).message).toMatch(new RegExp(`input\\.category: the category "${code}" is retired`));

    const audit = await ok(AUDIT, { id: code });
    expect(audit.sichuan.auditLog.edges.map((edge: any) => edge.node.action)).toEqual(['category.retired', 'category.renamed', 'category.created']);
    expect(JSON.parse(audit.sichuan.auditLog.edges[1].node.details)).toEqual({ nameEn: { from: 'Raman spectrometer', to: 'Confocal Raman spectrometer' } });
  });

  it.each([
    [{ code: 'raman', nameEn: 'Raman', nameZh: '拉曼' }, /input\.code: must be 2–40 capital letters/],
    [{ code: 'RAMAN_X', nameEn: ' ', nameZh: '拉曼' }, /input\.nameEn: must not be empty/],
    [{ code: 'RAMAN_X', nameEn: 'Raman', nameZh: '拉'.repeat(101) }, /input\.nameZh: must be at most 100 characters/],
  ])('refuses a bad category (case %#)', async (input, message) => {
    const response = await as('sc.admin', CREATE_CATEGORY, { input });
    expect(onlyError(response.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(message) });
  });

  it('refuses a code taken, a rename of nothing or of an unknown code, and a second retirement', async () => {
    const taken = await as('sc.admin', CREATE_CATEGORY, { input: { code: 'NMR', nameEn: 'NMR again', nameZh: '核磁' } });
    expect(onlyError(taken.body)).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringMatching(/NMR already exists/) });
    const nothing = await as('sc.admin', RENAME_CATEGORY, { code: 'NMR' });
    expect(onlyError(nothing.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/give nameEn, nameZh or both/) });
    const unknown = await as('sc.admin', RENAME_CATEGORY, { code: 'NO_SUCH_CATEGORY', nameEn: 'x' });
    expect(onlyError(unknown.body).extensions?.code).toBe('NOT_FOUND');
    const code = categoryCode();
    await ok(CREATE_CATEGORY, { input: { code, nameEn: 'Short-lived', nameZh: '短暂' } });
    await ok(RETIRE_CATEGORY, { code, reason: 'Created by mistake' });
    const again = await as('sc.admin', RETIRE_CATEGORY, { code, reason: 'Created by mistake' });
    expect(onlyError(again.body).extensions?.code).toBe('CONFLICT');
  });

  it('are changed only by admins of the province: a researcher and the other province\'s admin are refused, nothing written', async () => {
    const code = categoryCode();
    for (const username of ['li.wei', 'cq.admin']) {
      const response = await as(username, CREATE_CATEGORY, { input: { code, nameEn: 'Refused', nameZh: '拒绝' } });
      expect(onlyError(response.body).extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await gateway(CREATE_CATEGORY, { variables: { input: { code, nameEn: 'Refused', nameZh: '拒绝' } } });
    expect(onlyError(anonymous.body).extensions?.code).toBe('UNAUTHENTICATED');
    const all = await ok(CATEGORIES, { all: true });
    expect(all.sichuan.categories.map((c: any) => c.code)).not.toContain(code);
  });
});
