import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PROVINCES, seededUserId, type ProvinceKey } from '../../shared/src';
import { DEMO_SEEDS } from '../support/demoData';
import { asGateway, gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';
import { createUser } from '../support/throwawayIdentities';

const { sichuan } = DEMO_SEEDS;

// ---------- helpers ----------

async function sql<T extends Record<string, unknown>>(province: ProvinceKey, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: testSystem().databaseUrls[province] });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const count = async (province: ProvinceKey, text: string, params: unknown[] = []) =>
  Number((await sql<{ n: string }>(province, `SELECT count(*) AS n FROM ${text}`, params))[0]!.n);

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
/** Today's date in China (UTC+8), where a card's days are counted. */
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** The year `years` from now, for last days written out by hand. */
const yearsAhead = (years: number) => new Date().getUTCFullYear() + years;

const seedCard = (province: ProvinceKey, predicate: (card: (typeof sichuan.talentCards)[number]) => boolean) =>
  DEMO_SEEDS[province].talentCards.find(predicate)!;
const liWeiCard = seedCard('sichuan', (card) => card.holderUsername === 'li.wei');
const chenJingCard = seedCard('chongqing', (card) => card.holderUsername === 'chen.jing');

// Read off the seeded catalogues (each item names the lowest tier it is granted to; A is the highest tier).
/** All eight items: what either province grants an A-tier partner card. */
const ALL_ITEMS = ['CHILD_EDUCATION', 'CULTURE_TOURISM', 'EXIT_ENTRY', 'INSTRUMENT_SHARING_VOUCHER', 'MEDICAL_GREEN_CHANNEL', 'SPOUSE_EMPLOYMENT', 'TALENT_HOUSING', 'TRANSPORT_TRAVEL'];
/** Chongqing grants a B-tier Tianfu card everything but its medical green channel (tier A). */
const CHONGQING_GRANTS_TO_B = ALL_ITEMS.filter((code) => code !== 'MEDICAL_GREEN_CHANNEL');
/** Sichuan grants a D-tier Chongqing card only its three tier-D items. */
const SICHUAN_GRANTS_TO_D = ['CULTURE_TOURISM', 'EXIT_ENTRY', 'INSTRUMENT_SHARING_VOUCHER'];
const codes = (services: { code: string }[]) => services.map((service) => service.code).sort();

const CARD = 'id issuer cardName cardNumber tier status valid issuedOn validUntil holderName field employer revokedReason';
const ISSUE = `mutation Issue($input: IssueTalentCardInput!) { issueSichuanTalentCard(input: $input) { ${CARD} } }`;
const RENEW = `mutation Renew($id: ID!, $validUntil: DateTime!, $tier: TalentTier) { renewSichuanTalentCard(id: $id, validUntil: $validUntil, tier: $tier) { ${CARD} } }`;
const REVOKE = `mutation Revoke($id: ID!, $reason: String!) { revokeSichuanTalentCard(id: $id, reason: $reason) { ${CARD} } }`;
const VERIFY = `query Verify($n: String!) { verifyTalentCard(cardNumber: $n) {
  __typename cardNumber issuer cardName status valid tier holderName validUntil recognizedServices { code serviceProvince name minimumTier } } }`;

let partnerToken: Promise<string> | undefined;
/** The demo partner system's client token (a testing centre, not a person). */
function partnerClientToken(): Promise<string> {
  partnerToken ??= gateway(`mutation { issueClientToken(clientId: "demo-partner", clientSecret: "shuangcheng-demo-secret") { token } }`).then(
    ({ body }) => body.data.issueClientToken.token as string,
  );
  return partnerToken;
}

/** A platform account made for one card's holder: the platform must know a holder, and no demo account sees the card as theirs. */
const newHolder = async () => (await createUser('card.holder')).id;

/** A fresh Sichuan card, so tests that change cards never touch seeded ones. */
async function issueCard(overrides: Record<string, unknown> = {}) {
  const input = {
    holderName: `Test Holder ${randomUUID().slice(0, 8)}`,
    holderUserId: await newHolder(),
    tier: 'B',
    field: 'Battery materials',
    employer: 'Sichuan University',
    validUntil: daysFromNow(730),
    ...overrides,
  };
  const { body } = await gateway(ISSUE, { token: await tokenFor('sc.admin'), variables: { input } });
  expect(body.errors).toBeUndefined();
  return { card: body.data.issueSichuanTalentCard, input };
}

async function verify(cardNumber: string, token: string, headers?: Record<string, string>) {
  const { body } = await gateway(VERIFY, { token, variables: { n: cardNumber }, headers });
  expect(body.errors).toBeUndefined();
  return body.data.verifyTalentCard;
}

const auditOf = (entityId: string) =>
  sql<{ action: string; actor_id: string; entity_type: string; details: Record<string, any> }>(
    'sichuan', 'SELECT action, actor_id, entity_type, details FROM audit_log WHERE entity_id = $1 ORDER BY id', [entityId],
  );

// ---------- tests ----------

describe('issuing a card', () => {
  it('assigns a TF-<year>-<six digits> number, audits the issue, and the partner province verifies it as valid', async () => {
    // 20:00 UTC is already 04:00 the next day in China: the card lasts to the end of that China day.
    const lastYear = yearsAhead(2);
    const { card, input } = await issueCard({ tier: 'B', holderName: '  Zhou Lan  ', validUntil: `${lastYear}-06-30T20:00:00.000Z` });
    expect(card.cardNumber).toMatch(new RegExp(`^TF-${chinaToday().slice(0, 4)}-\\d{6}$`));
    expect(card).toMatchObject({
      issuer: 'SICHUAN',
      cardName: 'Tianfu Talent Card',
      tier: 'B',
      status: 'ACTIVE',
      valid: true,
      holderName: 'Zhou Lan',
      field: input.field,
      employer: input.employer,
      validUntil: `${lastYear}-07-01T15:59:59.999Z`,
      issuedOn: new Date(`${chinaToday()}T00:00:00+08:00`).toISOString(),
      revokedReason: null,
    });
    expect(card.id).toMatch(/^sc:talentcard:[0-9a-f-]{36}$/);

    const [row] = await sql('sichuan', 'SELECT holder_user_id, status FROM talent_cards WHERE card_number = $1', [card.cardNumber]);
    expect(row).toEqual({ holder_user_id: input.holderUserId, status: 'ACTIVE' });
    expect(await auditOf(card.id)).toEqual([
      expect.objectContaining({ action: 'talentcard.issued', entity_type: 'talentcard', actor_id: seededUserId('sc.admin'), details: expect.objectContaining({ cardNumber: card.cardNumber, tier: 'B' }) }),
    ]);

    // A Chongqing testing centre checks the new card, typed loosely.
    const verification = await verify(`  ${card.cardNumber.toLowerCase()} `, await partnerClientToken());
    expect(verification).toMatchObject({
      __typename: 'SichuanCardVerification',
      cardNumber: card.cardNumber,
      issuer: 'SICHUAN',
      cardName: 'Tianfu Talent Card',
      status: 'VALID',
      valid: true,
      tier: 'B',
      // A bare number says nothing of whose card it is (the holder's code does).
      holderName: null,
      validUntil: card.validUntil,
    });
    expect(codes(verification.recognizedServices)).toEqual(CHONGQING_GRANTS_TO_B);
  });

  it('numbers cards from the sequence, never twice', async () => {
    const issued = await Promise.all([issueCard(), issueCard(), issueCard()]);
    const serials = issued.map(({ card }) => Number(card.cardNumber.slice(-6)));
    expect(new Set(serials).size).toBe(3);
    expect(serials.every((serial) => serial > 700_000)).toBe(true);
  });
});

describe("the holder's platform account", () => {
  const ISSUE_TO = `mutation Issue($input: IssueTalentCardInput!) { issueSichuanTalentCard(input: $input) { id cardNumber holderName holder { id username } } }`;
  const cardTo = (holderUserId: string | null) => ({ holderName: 'Zhou Lan', holderUserId, tier: 'C', validUntil: daysFromNow(365) });

  it('issues a card only to a person the platform has an account for, asking the platform, and writes nothing otherwise', async () => {
    const token = await tokenFor('sc.admin');
    const before = await sichuanCardData();
    const unknown = await gateway(ISSUE_TO, { token, variables: { input: cardTo(randomUUID()) } });
    const error = onlyError(unknown.body);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.holderUserId', reason: 'UNKNOWN_HOLDER' });
    expect(error.message).toMatch(/input\.holderUserId: the platform has no account with the id .*leave holderUserId out for a holder who has no account yet/);
    expect(await sichuanCardData()).toEqual(before);

    const holder = await createUser('card.holder');
    const known = await gateway(ISSUE_TO, { token, variables: { input: cardTo(holder.id.toUpperCase()) } });
    expect(known.body.errors).toBeUndefined();
    expect(known.body.data.issueSichuanTalentCard.holder).toEqual({ id: holder.id, username: holder.username });
  });

  // Refused while the platform cannot be asked: platformUnavailable.test.ts.
  it('issues a card to a holder with no account when no id is given, asking the platform nothing', async () => {
    const { body } = await gateway(ISSUE_TO, { token: await tokenFor('sc.admin'), variables: { input: cardTo(null) } });
    expect(body.errors).toBeUndefined();
    expect(body.data.issueSichuanTalentCard).toMatchObject({ holderName: 'Zhou Lan', holder: null });
  });
});

describe('verifying a card by its number', () => {
  it("shows a Chongqing provider li.wei's Tianfu card as valid, with exactly Chongqing's services for its tier", async () => {
    const verification = await verify(liWeiCard.cardNumber, await partnerClientToken());
    expect(verification).toMatchObject({
      __typename: 'SichuanCardVerification',
      status: 'VALID',
      valid: true,
      tier: 'B',
      holderName: null,
      // The seed's last day, 2029-06-30, ends at midnight in China.
      validUntil: '2029-06-30T15:59:59.999Z',
    });
    expect(codes(verification.recognizedServices)).toEqual(CHONGQING_GRANTS_TO_B);
    expect(verification.recognizedServices.every((service: { serviceProvince: string }) => service.serviceProvince === 'CHONGQING')).toBe(true);
  });

  it("shows a Sichuan provider chen.jing's Chongqing card as valid, with exactly Sichuan's services for its tier", async () => {
    const verification = await verify(chenJingCard.cardNumber, await partnerClientToken());
    expect(verification).toMatchObject({
      __typename: 'ChongqingCardVerification',
      issuer: 'CHONGQING',
      cardName: 'Chongqing Talent Service Card',
      status: 'VALID',
      valid: true,
      tier: 'A',
      holderName: null,
    });
    expect(codes(verification.recognizedServices)).toEqual(ALL_ITEMS);
    expect(verification.recognizedServices.every((service: { serviceProvince: string }) => service.serviceProvince === 'SICHUAN')).toBe(true);
  });

  it.each([
    ['sichuan', 'EXPIRED'],
    ['sichuan', 'REVOKED'],
    ['chongqing', 'EXPIRED'],
    ['chongqing', 'REVOKED'],
  ] as const)('answers a seeded %s card marked %s as such, with no services and no grant recorded', async (province, status) => {
    const card = seedCard(province, (c) => c.status === status);
    const requestId = `tc-${randomUUID()}`;
    const verification = await verify(card.cardNumber, await partnerClientToken(), { 'x-request-id': requestId });
    expect(verification).toMatchObject({ status, valid: false, tier: card.tier, holderName: null, recognizedServices: [] });
    expect(await count(PROVINCES[province].partner, 'recognition_grants WHERE request_id = $1', [requestId])).toBe(0);
  });

  it('answers EXPIRED for a card past its last day even while its row still says ACTIVE', async () => {
    const { card } = await issueCard();
    await sql('sichuan', "UPDATE talent_cards SET issued_on = '2020-01-01', valid_until = '2021-12-31' WHERE card_number = $1", [card.cardNumber]);
    const verification = await verify(card.cardNumber, await partnerClientToken());
    expect(verification).toMatchObject({ status: 'EXPIRED', valid: false, validUntil: '2021-12-31T15:59:59.999Z', recognizedServices: [] });
  });

  it.each(['TF-2019-999999', 'CQ-RC-2019-999999'])('answers UNKNOWN for %s, a well-formed number nobody issued', async (cardNumber) => {
    const verification = await verify(cardNumber, await partnerClientToken());
    expect(verification).toMatchObject({ cardNumber, status: 'UNKNOWN', valid: false, tier: null, holderName: null, validUntil: null, recognizedServices: [] });
  });

  it.each(['XX-2024-000128', 'TF-24-128', 'CQ-2024-000456', "TF-2024-000128' OR 1=1 --", ''])(
    'refuses %j, a number neither province issues, naming both formats',
    async (cardNumber) => {
      const { body } = await gateway(VERIFY, { token: await partnerClientToken(), variables: { n: cardNumber } });
      const error = onlyError(body);
      expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(error.message).toContain('TF-2024-000128 (Tianfu Talent Card, Sichuan)');
      expect(error.message).toContain('CQ-RC-2024-000128 (Chongqing Talent Service Card, Chongqing)');
    },
  );

  it('needs a token, at the gateway and at each province subgraph', async () => {
    const { body } = await gateway(VERIFY, { variables: { n: liWeiCard.cardNumber } });
    expect(onlyError(body).extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(body.data).toBeNull();

    const { subgraphUrls } = testSystem();
    const issuer = await graphql(subgraphUrls.sichuan, `query($r: [_Any!]!) { _entities(representations: $r) { ... on SichuanCardVerification { status holderName } } }`, {
      headers: asGateway(),
      variables: { r: [{ __typename: 'SichuanCardVerification', cardNumber: liWeiCard.cardNumber }] },
    });
    expect(onlyError(issuer.body).extensions?.['code']).toBe('UNAUTHENTICATED');
    const partner = await graphql(subgraphUrls.chongqing, `query($r: [_Any!]!) { _entities(representations: $r) { ... on SichuanCardVerification { recognizedServices { code } } } }`, {
      headers: asGateway(),
      variables: { r: [{ __typename: 'SichuanCardVerification', cardNumber: liWeiCard.cardNumber, tier: 'B', status: 'VALID' }] },
    });
    expect(onlyError(partner.body).extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('entity resolution only for the gateway', () => {
  const PARTNER_SERVICES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SichuanCardVerification { recognizedServices { code } } } }`;

  it.each([
    ['no secret', {}],
    ['a wrong secret', { 'x-gateway-secret': 'not-the-gateway-secret' }],
  ])('refuses a forged VALID card sent straight to the partner with %s, and records no grant', async (_, headers) => {
    const token = await tokenFor('chen.jing');
    const requestId = `forged-${randomUUID()}`;
    // A card that does not exist, claimed VALID at the top tier: only the issuer could say otherwise, and it is not asked.
    const forged = { __typename: 'SichuanCardVerification', cardNumber: 'TF-2026-999999', tier: 'A', status: 'VALID' };
    const { status, body } = await graphql(testSystem().subgraphUrls.chongqing, PARTNER_SERVICES, {
      token,
      headers: { 'x-request-id': requestId, ...headers },
      variables: { r: [forged] },
    });
    expect(status).toBe(403);
    expect(onlyError(body)).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/only to the gateway/) });
    expect(await sql('chongqing', 'SELECT 1 FROM recognition_grants WHERE request_id = $1', [requestId])).toEqual([]);
  });

  it('refuses _entities hidden in a fragment, and _service, without the secret; other fields stay open to direct callers', async () => {
    const { subgraphUrls } = testSystem();
    const hidden = await graphql(subgraphUrls.sichuan, 'query($r: [_Any!]!) { ...E } fragment E on Query { _entities(representations: $r) { __typename } }', {
      variables: { r: [] },
    });
    expect(onlyError(hidden.body).extensions?.['code']).toBe('FORBIDDEN');
    expect(onlyError((await graphql(subgraphUrls.platform, '{ _service { sdl } }')).body).extensions?.['code']).toBe('FORBIDDEN');
    expect((await graphql(subgraphUrls.platform, '{ _service { sdl } }', { headers: asGateway() })).body.data._service.sdl).toMatch(/type Query/);
    const direct = await graphql(subgraphUrls.sichuan, '{ sichuan { name } }');
    expect(direct.body).toEqual({ data: { sichuan: { name: 'Sichuan' } } });
  });
});

describe('recognition grants', () => {
  const grantsOf = (requestId: string) =>
    sql<{ card_number: string; tier: string; services: string[]; verified_by: string }>(
      'chongqing', 'SELECT card_number, tier, services, verified_by FROM recognition_grants WHERE request_id = $1', [requestId],
    );

  it('records one grant per request id, however often the request or its fetch is repeated', async () => {
    // A Chongqing admin checks the card (people other than admins hold no card:verify).
    const token = await tokenFor('cq.admin');
    const requestId = `tc-grant-${randomUUID()}`;
    await verify(liWeiCard.cardNumber, token, { 'x-request-id': requestId });
    await verify(liWeiCard.cardNumber, token, { 'x-request-id': requestId });
    // The gateway retrying its fetch to Chongqing: the same representation under the same request id.
    const retry = () =>
      graphql(testSystem().subgraphUrls.chongqing, `query($r: [_Any!]!) { _entities(representations: $r) { ... on SichuanCardVerification { recognizedServices { code } } } }`, {
        token,
        headers: { 'x-request-id': requestId, ...asGateway() },
        variables: { r: [{ __typename: 'SichuanCardVerification', cardNumber: liWeiCard.cardNumber, tier: liWeiCard.tier, status: 'VALID' }] },
      });
    expect((await retry()).body.errors).toBeUndefined();
    await retry();

    const grants = await grantsOf(requestId);
    expect(grants).toHaveLength(1);
    expect({ ...grants[0], services: [...grants[0]!.services].sort() }).toEqual({
      card_number: liWeiCard.cardNumber,
      tier: 'B',
      services: CHONGQING_GRANTS_TO_B,
      verified_by: seededUserId('cq.admin'),
    });

    const another = `tc-grant-${randomUUID()}`;
    await verify(liWeiCard.cardNumber, token, { 'x-request-id': another });
    expect(await grantsOf(another)).toHaveLength(1);
  });

  it('records nothing for an unknown card', async () => {
    const requestId = `tc-grant-${randomUUID()}`;
    await verify('TF-2019-999998', await partnerClientToken(), { 'x-request-id': requestId });
    expect(await grantsOf(requestId)).toHaveLength(0);
  });
});

describe('renewing and revoking', () => {
  it('renews a card: new last day and tier, ACTIVE again even after it lapsed, audited', async () => {
    const { card } = await issueCard({ tier: 'C' });
    await sql('sichuan', "UPDATE talent_cards SET issued_on = '2020-01-01', valid_until = '2021-12-31', status = 'EXPIRED' WHERE card_number = $1", [card.cardNumber]);
    // 01:00 UTC is 09:00 the same day in China.
    const lastYear = yearsAhead(3);
    const validUntil = `${lastYear}-03-10T01:00:00.000Z`;
    const { body } = await gateway(RENEW, { token: await tokenFor('sc.admin'), variables: { id: card.id, validUntil, tier: 'A' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.renewSichuanTalentCard).toMatchObject({ id: card.id, tier: 'A', status: 'ACTIVE', valid: true, validUntil: `${lastYear}-03-10T15:59:59.999Z` });

    const verification = await verify(card.cardNumber, await partnerClientToken());
    expect(verification).toMatchObject({ status: 'VALID', tier: 'A' });
    expect(codes(verification.recognizedServices)).toEqual(ALL_ITEMS);

    const audit = await auditOf(card.id);
    expect(audit.map((entry) => entry.action)).toEqual(['talentcard.issued', 'talentcard.renewed']);
    expect(audit[1]!.details).toMatchObject({ from: { tier: 'C', status: 'EXPIRED', validUntil: '2021-12-31' }, to: { tier: 'A', status: 'ACTIVE' } });
  });

  it('keeps the tier when none is given', async () => {
    const { card } = await issueCard({ tier: 'D', validUntil: daysFromNow(100) });
    const { body } = await gateway(RENEW, { token: await tokenFor('sc.admin'), variables: { id: card.id, validUntil: daysFromNow(500) } });
    expect(body.data.renewSichuanTalentCard).toMatchObject({ tier: 'D', status: 'ACTIVE' });
  });

  it('revokes a card once: REVOKED with its reason, no services, audited; a second revocation or a renewal is a CONFLICT', async () => {
    const token = await tokenFor('sc.admin');
    const { card } = await issueCard();
    const { body } = await gateway(REVOKE, { token, variables: { id: card.id, reason: '  Card reported lost by the holder  ' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.revokeSichuanTalentCard).toMatchObject({ status: 'REVOKED', valid: false, revokedReason: 'Card reported lost by the holder' });

    const verification = await verify(card.cardNumber, await partnerClientToken());
    expect(verification).toMatchObject({ status: 'REVOKED', valid: false, recognizedServices: [] });

    const again = await gateway(REVOKE, { token, variables: { id: card.id, reason: 'Revoked a second time' } });
    const revokeError = onlyError(again.body);
    expect(revokeError.extensions?.['code']).toBe('CONFLICT');
    expect(revokeError.message).toMatch(/already revoked/);

    const renewal = await gateway(RENEW, { token, variables: { id: card.id, validUntil: daysFromNow(900) } });
    const renewError = onlyError(renewal.body);
    expect(renewError.extensions?.['code']).toBe('CONFLICT');
    expect(renewError.message).toMatch(/revoked .*cannot be renewed; issue a new card instead/);

    const [row] = await sql('sichuan', 'SELECT status, revoked_reason FROM talent_cards WHERE card_number = $1', [card.cardNumber]);
    expect(row).toEqual({ status: 'REVOKED', revoked_reason: 'Card reported lost by the holder' });
    const audit = await auditOf(card.id);
    expect(audit.map((entry) => entry.action)).toEqual(['talentcard.issued', 'talentcard.revoked']);
    expect(audit[1]!.details).toMatchObject({ reason: 'Card reported lost by the holder' });
  });

  it('answers NOT_FOUND for a well-formed id of no card', async () => {
    const { body } = await gateway(REVOKE, {
      token: await tokenFor('sc.admin'),
      variables: { id: 'sc:talentcard:00000000-0000-4000-8000-000000000000', reason: 'Does not exist' },
    });
    expect(onlyError(body).extensions?.['code']).toBe('NOT_FOUND');
  });
});

/** Every Sichuan card and catalogue item as it is stored, and the number of audit entries: what a refused change leaves exactly as it was. */
const sichuanCardData = async () => ({
  cards: await sql('sichuan', 'SELECT row_to_json(c)::text AS row FROM talent_cards c ORDER BY card_number'),
  catalogue: await sql('sichuan', 'SELECT row_to_json(r)::text AS row FROM recognition_catalog r ORDER BY code'),
  audits: await count('sichuan', 'audit_log'),
});

describe('invalid input', () => {

  it.each([
    ['a last day in the past', { validUntil: daysFromNow(-1) }, /input\.validUntil: must be in the future/],
    ['a last day over ten years ahead', { validUntil: daysFromNow(10 * 366) }, /input\.validUntil: must be within 10 years/],
    ['a holder id that is not a UUID', { holderUserId: 'li.wei' }, /input\.holderUserId: must be the holder's platform user id/],
    ['a blank holder name', { holderName: '   ' }, /input\.holderName: must be at least 2 characters/],
    ['a holder name too long', { holderName: 'x'.repeat(121) }, /input\.holderName: must be at most 120 characters/],
    ['an employer too long', { employer: 'x'.repeat(201) }, /input\.employer: must be at most 200 characters/],
  ])('refuses to issue a card with %s, writing nothing', async (_, overrides, message) => {
    const input = { holderName: 'Valid Name', holderUserId: await newHolder(), field: 'Refused field', tier: 'C', validUntil: daysFromNow(365), ...overrides };
    const before = await sichuanCardData();
    const { body } = await gateway(ISSUE, { token: await tokenFor('sc.admin'), variables: { input } });
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(await sichuanCardData()).toEqual(before);
  });

  it('refuses invalid renewals and revocations, writing nothing', async () => {
    const { card } = await issueCard({ validUntil: daysFromNow(400) });
    const token = await tokenFor('sc.admin');
    const before = await sichuanCardData();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [RENEW, { id: card.id, validUntil: daysFromNow(-2) }, /validUntil: must be in the future/],
      [RENEW, { id: card.id, validUntil: daysFromNow(20) }, /must not be before the card's current last day/],
      [RENEW, { id: 'cq:talentcard:9a68c900-431f-560a-9f63-e5bdd96763d9', validUntil: daysFromNow(600) }, /belongs to Chongqing, not Sichuan/],
      [RENEW, { id: 'sc:talentcard:not-a-uuid', validUntil: daysFromNow(600) }, /not a valid id/],
      [REVOKE, { id: card.id, reason: ' ' }, /reason: must be at least 5 characters/],
      [REVOKE, { id: card.id, reason: 'x'.repeat(501) }, /reason: must be at most 500 characters/],
    ];
    for (const [mutation, variables, message] of cases) {
      const { body } = await gateway(mutation, { token, variables });
      const error = onlyError(body);
      expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
    }
    expect(await sichuanCardData()).toEqual(before);
    const [row] = await sql('sichuan', 'SELECT status, valid_until FROM talent_cards WHERE card_number = $1', [card.cardNumber]);
    expect(row!['status']).toBe('ACTIVE');
  });
});

describe('only a Sichuan admin changes Sichuan cards and catalogue', () => {
  const attempts = (cardId: string, holderUserId: string) => [
    {
      name: 'issue',
      query: ISSUE,
      variables: { input: { holderName: 'Not Allowed', holderUserId, field: 'Refused field', tier: 'A', validUntil: daysFromNow(365) } },
    },
    { name: 'renew', query: RENEW, variables: { id: cardId, validUntil: daysFromNow(900), tier: 'A' } },
    { name: 'revoke', query: REVOKE, variables: { id: cardId, reason: 'Chongqing should not be able to do this' } },
    {
      name: 'set a recognition item',
      query: `mutation($input: RecognitionItemInput!) { setSichuanRecognitionItem(input: $input) { code } }`,
      variables: { input: { code: 'EXIT_ENTRY', name: 'Hijacked', nameZh: '劫持', provider: 'Nobody', minimumTier: 'D' } },
    },
    { name: 'remove a recognition item', query: `mutation { removeSichuanRecognitionItem(code: "EXIT_ENTRY") { code } }`, variables: {} },
  ];

  it.each([
    ['cq.admin (a Chongqing admin)', 'cq.admin', 'FORBIDDEN'],
    ['li.wei (a Sichuan researcher)', 'li.wei', 'FORBIDDEN'],
    ['an anonymous caller', null, 'UNAUTHENTICATED'],
  ])('refuses %s through the gateway and directly at the Sichuan subgraph, writing nothing', async (_, username, code) => {
    const { card, input } = await issueCard();
    const token = username ? await tokenFor(username) : undefined;
    const before = await sichuanCardData();
    for (const url of [testSystem().gatewayUrl, testSystem().subgraphUrls.sichuan]) {
      for (const attempt of attempts(card.id, input.holderUserId)) {
        const { body } = await graphql(url, attempt.query, { token, variables: attempt.variables });
        const error = onlyError(body);
        expect({ attempt: attempt.name, url, code: error.extensions?.['code'] }).toEqual({ attempt: attempt.name, url, code });
        if (code === 'FORBIDDEN') expect(error.message).toMatch(/Only a Sichuan admin may/);
      }
    }
    expect(await sichuanCardData()).toEqual(before);
    const [row] = await sql('sichuan', 'SELECT status, tier FROM talent_cards WHERE card_number = $1', [card.cardNumber]);
    expect(row).toEqual({ status: 'ACTIVE', tier: 'B' });
  });
});

describe('the recognition catalogue', () => {
  const original = sichuan.recognitionCatalog.find((item) => item.code === 'EXIT_ENTRY')!;
  const SET = `mutation($input: RecognitionItemInput!) { setSichuanRecognitionItem(input: $input) { code serviceProvince name nameZh provider minimumTier howToApply } }`;
  const REMOVE = `mutation($code: String!) { removeSichuanRecognitionItem(code: $code) { code } }`;
  const CATALOG = `{ sichuan { recognitionCatalog { code name minimumTier howToApply } } }`;
  const CHEN_JING_CARD = `{ me { chongqingTalentCard { partnerRecognitions { code name minimumTier } } } }`;
  const dTierCard = seedCard('chongqing', (card) => card.tier === 'D' && card.status === 'ACTIVE');

  const restore = async () =>
    gateway(SET, {
      token: await tokenFor('sc.admin'),
      variables: { input: { code: original.code, name: original.name, nameZh: original.nameZh, provider: original.provider, minimumTier: original.minimumTier, howToApply: original.howToApply } },
    });

  it('changes an item: visible in the catalogue, in partnerRecognitions and in verification, audited', async () => {
    expect(original.minimumTier).toBe('D');
    const changed = { code: 'EXIT_ENTRY', name: 'Exit-entry fast track (changed)', nameZh: '出入境便利（已修改）', provider: 'Sichuan Exit-Entry Bureau', minimumTier: 'C', howToApply: '  Book online.  ' };
    const { body } = await gateway(SET, { token: await tokenFor('sc.admin'), variables: { input: changed } });
    expect(body.errors).toBeUndefined();
    const catalogue = body.data.setSichuanRecognitionItem;
    expect(catalogue).toHaveLength(8);
    expect(catalogue.find((item: { code: string }) => item.code === 'EXIT_ENTRY')).toEqual({ ...changed, howToApply: 'Book online.', serviceProvince: 'SICHUAN' });

    const read = await gateway(CATALOG);
    expect(read.body.data.sichuan.recognitionCatalog.find((item: { code: string }) => item.code === 'EXIT_ENTRY')).toMatchObject({ name: changed.name, minimumTier: 'C' });

    const card = await gateway(CHEN_JING_CARD, { token: await tokenFor('chen.jing') });
    expect(card.body.data.me.chongqingTalentCard.partnerRecognitions.find((item: { code: string }) => item.code === 'EXIT_ENTRY')).toMatchObject({ name: changed.name });

    // A D-tier Chongqing card no longer qualifies.
    const verification = await verify(dTierCard.cardNumber, await partnerClientToken());
    expect(codes(verification.recognizedServices)).toEqual(SICHUAN_GRANTS_TO_D.filter((code) => code !== 'EXIT_ENTRY'));

    const audit = await auditOf('EXIT_ENTRY');
    expect(audit.at(-1)).toMatchObject({ action: 'recognition.updated', entity_type: 'recognition', details: { from: { minimumTier: 'D' }, to: { minimumTier: 'C' } } });
  });

  it('removes an item: gone from the catalogue and partnerRecognitions, audited; removing it again is NOT_FOUND; putting it back adds it', async () => {
    const token = await tokenFor('sc.admin');
    const { body } = await gateway(REMOVE, { token, variables: { code: 'EXIT_ENTRY' } });
    expect(body.errors).toBeUndefined();
    expect(codes(body.data.removeSichuanRecognitionItem)).toEqual(ALL_ITEMS.filter((code) => code !== 'EXIT_ENTRY'));

    const read = await gateway(CATALOG);
    expect(codes(read.body.data.sichuan.recognitionCatalog)).not.toContain('EXIT_ENTRY');
    const card = await gateway(CHEN_JING_CARD, { token: await tokenFor('chen.jing') });
    expect(codes(card.body.data.me.chongqingTalentCard.partnerRecognitions)).toEqual(ALL_ITEMS.filter((code) => code !== 'EXIT_ENTRY'));

    const again = await gateway(REMOVE, { token, variables: { code: 'EXIT_ENTRY' } });
    const error = onlyError(again.body);
    expect(error.extensions?.['code']).toBe('NOT_FOUND');
    expect(error.message).toMatch(/Sichuan does not grant "EXIT_ENTRY"/);

    const restored = await restore();
    expect(codes(restored.body.data.setSichuanRecognitionItem)).toEqual(ALL_ITEMS);
    expect((await auditOf('EXIT_ENTRY')).slice(-2).map((entry) => entry.action)).toEqual(['recognition.removed', 'recognition.added']);
  });

  it('refuses codes outside the eight items and incomplete items, writing nothing', async () => {
    const token = await tokenFor('sc.admin');
    const before = await count('sichuan', "audit_log WHERE entity_type = 'recognition'");
    const { body } = await gateway(SET, { token, variables: { input: { code: 'FREE_LUNCH', name: 'Free lunch', nameZh: '免费午餐', provider: 'Canteen', minimumTier: 'D' } } });
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/input\.code: must be one of the eight recognised items: MEDICAL_GREEN_CHANNEL, .*INSTRUMENT_SHARING_VOUCHER/);

    const blank = await gateway(SET, { token, variables: { input: { ...original, name: ' ', provider: '' } } });
    expect(onlyError(blank.body).message).toMatch(/input\.name: .*; input\.provider: /);
    expect(await count('sichuan', "audit_log WHERE entity_type = 'recognition'")).toBe(before);
    expect(await count('sichuan', 'recognition_catalog WHERE code = $1', ['FREE_LUNCH'])).toBe(0);
  });
});
