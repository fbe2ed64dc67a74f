import { randomUUID } from 'node:crypto';
import type { RunningGateway } from '../../gateway/src';
import type { RunningService } from '../../shared/src';
import { DEMO_HOSPITAL_CLIENT, DEMO_PARTNER_CLIENT } from '../../subgraphs/platform/src';
import { clientToken, createPartnerClient } from '../support/callers';
import { DEMO_SEEDS } from '../support/demoData';
import { startOwnGateway, startOwnProvince } from '../support/ownServices';
import { closePools, sql } from '../support/registryFixtures';
import { seededUserId } from '../../shared/src';
import { gateway, graphql, onlyError, tokenFor } from '../support/system';
import { createUser } from '../support/throwawayIdentities';

/*
 * Talent-card checks bound to the holder: the holder's code verifies once and is refused on replay, after its
 * expiry and for another card; a bare number no longer names the holder; each province admits only the clients
 * it granted; and the issuer's check log holds exactly the checks made.
 */

afterAll(closePools);

const liWeiCard = DEMO_SEEDS.sichuan.talentCards.find((card) => card.holderUsername === 'li.wei')!;
const chenJingCard = DEMO_SEEDS.chongqing.talentCards.find((card) => card.holderUsername === 'chen.jing')!;

const CODE = (P: string) => `mutation Code { code: create${P}CardVerificationCode { code cardNumber expiresAt qrPayload qrSvg } }`;
const VERIFY = `query Verify($code: String, $n: String) { verifyTalentCard(code: $code, cardNumber: $n) {
  __typename cardNumber issuer status valid tier holderName validUntil } }`;
const VERIFY_WITH_SERVICES = `query VerifyAll($code: String) { verifyTalentCard(code: $code) { cardNumber holderName valid recognizedServices { code serviceProvince } } }`;

interface HolderCode { code: string; cardNumber: string; expiresAt: string; qrPayload: string; qrSvg: string }

/** A new code for the signed-in holder's own card, through `url`'s gateway (the file's by default). */
async function codeFor(username: string, P = 'Sichuan', url?: string): Promise<HolderCode> {
  const token = await tokenFor(username);
  const { body } = url ? await graphql(url, CODE(P), { token }) : await gateway(CODE(P), { token });
  expect(body.errors).toBeUndefined();
  return body.data.code;
}

const hospitalToken = () => clientToken(DEMO_HOSPITAL_CLIENT.clientId, DEMO_HOSPITAL_CLIENT.clientSecret);
const partnerToken = () => clientToken(DEMO_PARTNER_CLIENT.clientId, DEMO_PARTNER_CLIENT.clientSecret);

const verify = (token: string, variables: { code?: string; n?: string }, url?: string) =>
  url ? graphql(url, VERIFY, { token, variables }) : gateway(VERIFY, { token, variables });

describe('a holder\'s verification code', () => {
  it('is issued to the holder for their own card, with a QR code naming the issuer and the code only', async () => {
    const before = Date.now();
    const code = await codeFor('li.wei');
    const after = Date.now();
    expect(code.code).toMatch(/^SC-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(code.cardNumber).toBe(liWeiCard.cardNumber);
    // Five minutes from its issue, which happened while the request ran (however long a busy machine took).
    const expiresAt = new Date(code.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 300_000);
    expect(code.qrPayload).toBe(`shuangcheng:card-check?issuer=SICHUAN&code=${code.code}`);
    expect(code.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    const chongqing = await codeFor('chen.jing', 'Chongqing');
    expect(chongqing.code).toMatch(/^CQ-/);
    expect(chongqing.cardNumber).toBe(chenJingCard.cardNumber);
  });

  it('is refused to anyone who holds no card of that province, and to partner clients', async () => {
    const admin = await gateway(CODE('Sichuan'), { token: await tokenFor('sc.admin') });
    expect(onlyError(admin.body)).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'NO_CARD' } });
    const otherProvince = await gateway(CODE('Chongqing'), { token: await tokenFor('li.wei') });
    expect(onlyError(otherProvince.body)).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'NO_CARD' } });
    const client = await gateway(CODE('Sichuan'), { token: await partnerToken() });
    expect(onlyError(client.body).extensions?.['code']).toBe('FORBIDDEN');
  });

  it('verifies once, naming the holder, and is refused on replay', async () => {
    const { code } = await codeFor('li.wei');
    const hospital = await hospitalToken();
    const first = await verify(hospital, { code });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.verifyTalentCard).toMatchObject({
      __typename: 'SichuanCodeVerification', cardNumber: liWeiCard.cardNumber, issuer: 'SICHUAN', status: 'VALID', valid: true, holderName: 'Li Wei',
    });

    const replay = await verify(hospital, { code });
    expect(replay.body.data).toBeNull();
    expect(onlyError(replay.body)).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'CODE_ALREADY_USED' } });
    // Whoever replays it: a code is for one check.
    const byAnother = await verify(await partnerToken(), { code });
    expect(onlyError(byAnother.body)).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'CODE_ALREADY_USED' } });
  });

  it('with a card number, verifies only for that card; a code of another card is refused and stays usable', async () => {
    const { code } = await codeFor('li.wei');
    const hospital = await hospitalToken();
    const otherCard = DEMO_SEEDS.sichuan.talentCards.find((card) => card.cardNumber !== liWeiCard.cardNumber && card.status === 'ACTIVE')!;
    const wrong = await verify(hospital, { code, n: otherCard.cardNumber });
    expect(onlyError(wrong.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'CODE_OF_ANOTHER_CARD' } });
    const crossIssuer = await verify(hospital, { code, n: chenJingCard.cardNumber });
    expect(onlyError(crossIssuer.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'CODE_OF_ANOTHER_CARD' } });

    const right = await verify(hospital, { code: code.toLowerCase().replace(/-/g, ' '), n: liWeiCard.cardNumber });
    expect(right.body.errors).toBeUndefined();
    expect(right.body.data.verifyTalentCard).toMatchObject({ cardNumber: liWeiCard.cardNumber, holderName: 'Li Wei' });
  });

  it('refuses unknown and malformed codes, and asks for a code or a number', async () => {
    const hospital = await hospitalToken();
    const unknown = await verify(hospital, { code: 'SC-00000-00000' });
    expect(onlyError(unknown.body)).toMatchObject({ extensions: { code: 'NOT_FOUND', reason: 'CODE_UNKNOWN' } });
    const malformed = await verify(hospital, { code: 'not a code' });
    expect(onlyError(malformed.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'code' } });
    const neither = await verify(hospital, {});
    expect(onlyError(neither.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/code.*cardNumber/) });
  });

  it('is used by exactly one of several simultaneous checks', async () => {
    // Providers of their own: the gateway shares one fetch among identical queries of one token in flight together.
    const providers = await Promise.all(Array.from({ length: 6 }, () => createPartnerClient(['card:verify'], { grants: { sichuan: ['card:verify'] } })));
    const { code } = await codeFor('li.wei');
    const answers = await Promise.all(providers.map((provider) => verify(provider.token, { code })));
    const won = answers.filter((answer) => answer.body.errors === undefined);
    expect(won).toHaveLength(1);
    expect(won[0]!.body.data.verifyTalentCard.holderName).toBe('Li Wei');
    for (const lost of answers.filter((answer) => answer.body.errors !== undefined)) {
      expect(onlyError(lost.body)).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'CODE_ALREADY_USED' } });
    }
  });

  describe('with a one-second lifetime', () => {
    let sichuan: RunningService;
    let ownGateway: RunningGateway;
    beforeAll(async () => {
      sichuan = await startOwnProvince('sichuan-short-codes', 'sichuan', { CARD_CODE_TTL_SECONDS: '1' });
      ownGateway = await startOwnGateway('gateway-short-codes', {}, { sichuan: sichuan.url });
    });
    afterAll(async () => {
      await ownGateway?.close();
      await sichuan?.close();
    });

    it('is refused once expired', async () => {
      const url = `http://127.0.0.1:${ownGateway.port}/graphql`;
      const { code, expiresAt } = await codeFor('li.wei', 'Sichuan', url);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(expiresAt).getTime() - Date.now()) + 200));
      const late = await verify(await hospitalToken(), { code }, url);
      expect(onlyError(late.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'CODE_EXPIRED' } });
    });
  });
});

describe('checks by bare number', () => {
  it('say whether the card is valid and its tier, never whose it is', async () => {
    const { body } = await verify(await hospitalToken(), { n: liWeiCard.cardNumber });
    expect(body.errors).toBeUndefined();
    expect(body.data.verifyTalentCard).toMatchObject({
      __typename: 'SichuanCardVerification', cardNumber: liWeiCard.cardNumber, valid: true, tier: liWeiCard.tier, holderName: null,
    });
  });
});

describe('who may check', () => {
  it('a client granted by Sichuan only verifies a Sichuan card and is refused for a Chongqing one', async () => {
    const hospital = await hospitalToken();
    const sichuan = await verify(hospital, { code: (await codeFor('li.wei')).code });
    expect(sichuan.body.errors).toBeUndefined();
    expect(sichuan.body.data.verifyTalentCard.valid).toBe(true);

    const { code } = await codeFor('chen.jing', 'Chongqing');
    const chongqing = await verify(hospital, { code });
    expect(onlyError(chongqing.body).extensions?.['code']).toBe('FORBIDDEN');
    // Refused before the code was touched: the holder's code still works for a provider Chongqing admits.
    const admitted = await verify(await partnerToken(), { code });
    expect(admitted.body.errors).toBeUndefined();
    expect(admitted.body.data.verifyTalentCard.holderName).toBe('Chen Jing');
  });

  it('researchers no longer check cards; admins and granted clients do', async () => {
    const researcher = await verify(await tokenFor('chen.jing'), { n: liWeiCard.cardNumber });
    expect(onlyError(researcher.body)).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/card:verify/) });
    const admin = await verify(await tokenFor('cq.admin'), { n: liWeiCard.cardNumber });
    expect(admin.body.errors).toBeUndefined();
  });

  it('the partner province answers its services for a card checked by code', async () => {
    const { code } = await codeFor('li.wei');
    const { body } = await gateway(VERIFY_WITH_SERVICES, { token: await partnerToken(), variables: { code } });
    expect(body.errors).toBeUndefined();
    expect(body.data.verifyTalentCard).toMatchObject({ cardNumber: liWeiCard.cardNumber, holderName: 'Li Wei', valid: true });
    expect(body.data.verifyTalentCard.recognizedServices.length).toBeGreaterThan(0);
    expect(body.data.verifyTalentCard.recognizedServices.every((service: { serviceProvince: string }) => service.serviceProvince === 'CHONGQING')).toBe(true);
  });
});

describe('service providers registered for their own items', () => {
  const SERVICES = `query Services($code: String!) { verifyTalentCard(code: $code) { holderName recognizedServices { code serviceProvince } } }`;
  const codesOf = (body: { data?: any }) =>
    (body.data.verifyTalentCard.recognizedServices as { code: string }[]).map((service) => service.code).sort();

  it('a hospital Sichuan registered for its medical item is answered only that item of a Chongqing card', async () => {
    // Chongqing lets it check Chongqing cards; Sichuan, whose services it delivers, registers its medical item.
    const hospital = await createPartnerClient(['card:verify'], { grants: { chongqing: ['card:verify'] } });
    const granted = await gateway(`mutation Grant($id: String!) { grantSichuanClientScopes(clientId: $id, scopes: ["card:verify"], recognitionItems: ["MEDICAL_GREEN_CHANNEL"]) {
      clientId scopes recognitionItems } }`, { token: await tokenFor('sc.admin'), variables: { id: hospital.clientId } });
    expect(granted.body.data.grantSichuanClientScopes).toEqual({ clientId: hospital.clientId, scopes: ['card:verify'], recognitionItems: ['MEDICAL_GREEN_CHANNEL'] });

    const { body } = await gateway(SERVICES, { token: hospital.token, variables: { code: (await codeFor('chen.jing', 'Chongqing')).code } });
    expect(body.errors).toBeUndefined();
    expect(body.data.verifyTalentCard.holderName).toBe('Chen Jing');
    expect(codesOf(body)).toEqual(['MEDICAL_GREEN_CHANNEL']);

    // An admin (a person) sees every item the card's tier qualifies for.
    const admin = await gateway(SERVICES, { token: await tokenFor('sc.admin'), variables: { code: (await codeFor('chen.jing', 'Chongqing')).code } });
    expect(codesOf(admin.body).length).toBe(8);
  });

  it('a provider registered for no item of the serving province is answered none', async () => {
    const provider = await createPartnerClient(['card:verify'], { grants: { sichuan: ['card:verify'], chongqing: ['card:verify'] } });
    const { body } = await gateway(SERVICES, { token: provider.token, variables: { code: (await codeFor('li.wei')).code } });
    expect(body.errors).toBeUndefined();
    expect(codesOf(body)).toEqual([]);
  });

  it('refuses items that are not recognition items, or without card:verify', async () => {
    const provider = await createPartnerClient(['card:verify', 'catalog:read']);
    const grant = async (scopes: string[], items: string[]) => gateway(`mutation Grant($id: String!, $s: [String!]!, $i: [String!]) {
      grantSichuanClientScopes(clientId: $id, scopes: $s, recognitionItems: $i) { recognitionItems } }`, {
      token: await tokenFor('sc.admin'), variables: { id: provider.clientId, s: scopes, i: items },
    });
    const unknown = await grant(['card:verify'], ['FREE_LUNCH']);
    expect(onlyError(unknown.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/MEDICAL_GREEN_CHANNEL/) });
    const noScope = await grant(['catalog:read'], ['MEDICAL_GREEN_CHANNEL']);
    expect(onlyError(noScope.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/card:verify/) });
  });
});

describe('redeeming a recognised service', () => {
  const REDEEM = `mutation Redeem($code: String!, $item: String!, $key: String!) {
    d: redeemSichuanRecognizedService(code: $code, item: $item, idempotencyKey: $key) { id item cardNumber issuer cardTier clientId deliveredAt } }`;
  const STATS = '{ sichuan { stats { recognitionsGranted servicesDelivered { key count } } } }';
  const delivered = async (item: string) => {
    const { body } = await gateway(STATS, { token: await tokenFor('sc.admin') });
    return { looked: body.data.sichuan.stats.recognitionsGranted as number, count: body.data.sichuan.stats.servicesDelivered.find((row: { key: string }) => row.key === item).count as number };
  };

  /** A Sichuan hospital: Chongqing lets it check Chongqing cards; Sichuan registers it for its medical item. */
  async function hospital() {
    const client = await createPartnerClient(['card:verify'], { grants: { chongqing: ['card:verify'] } });
    const { body } = await gateway('mutation G($id: String!) { grantSichuanClientScopes(clientId: $id, scopes: ["card:verify"], recognitionItems: ["MEDICAL_GREEN_CHANNEL"]) { clientId } }', {
      token: await tokenFor('sc.admin'), variables: { id: client.clientId },
    });
    expect(body.errors).toBeUndefined();
    return client;
  }

  it('records one delivery with the holder\'s code, however often it is repeated with its key, and stats count it', async () => {
    const provider = await hospital();
    const before = await delivered('MEDICAL_GREEN_CHANNEL');
    const { code } = await codeFor('chen.jing', 'Chongqing');
    const key = randomUUID();
    const first = await gateway(REDEEM, { token: provider.token, variables: { code, item: 'MEDICAL_GREEN_CHANNEL', key } });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.d).toMatchObject({ item: 'MEDICAL_GREEN_CHANNEL', cardNumber: chenJingCard.cardNumber, issuer: 'CHONGQING', cardTier: 'A', clientId: provider.clientId });

    // Retried (the code is used up by now): the same delivery, and no other.
    const again = await gateway(REDEEM, { token: provider.token, variables: { code, item: 'MEDICAL_GREEN_CHANNEL', key } });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.d.id).toBe(first.body.data.d.id);
    const after = await delivered('MEDICAL_GREEN_CHANNEL');
    expect(after.count).toBe(before.count + 1);
    // A delivery is not a look-up.
    expect(after.looked).toBe(before.looked);

    // The same key with another code is another redemption.
    const other = await gateway(REDEEM, { token: provider.token, variables: { code: (await codeFor('chen.jing', 'Chongqing')).code, item: 'MEDICAL_GREEN_CHANNEL', key } });
    expect(onlyError(other.body)).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED', differingFields: ['code'] } });

    // The issuer logged the redemption's check as the provider's.
    const log = await gateway('query L($n: String) { chongqing { cardChecks(cardNumber: $n, first: 50) { edges { node { method result clientId } } } } }', {
      token: await tokenFor('cq.admin'), variables: { n: chenJingCard.cardNumber },
    });
    expect(log.body.data.chongqing.cardChecks.edges.map((edge: { node: unknown }) => edge.node)).toContainEqual({ method: 'CODE', result: 'VALID', clientId: provider.clientId });
  });

  it('is refused for an item the provider is not registered for, with a used code, and for a card not entitled; nothing is recorded', async () => {
    const provider = await hospital();
    const before = await delivered('EXIT_ENTRY');
    const { code } = await codeFor('chen.jing', 'Chongqing');
    const notMine = await gateway(REDEEM, { token: provider.token, variables: { code, item: 'EXIT_ENTRY', key: randomUUID() } });
    expect(onlyError(notMine.body)).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'ITEM_NOT_REGISTERED' } });
    expect((await delivered('EXIT_ENTRY')).count).toBe(before.count);

    // The code was not touched by that refusal; a verification uses it, and a redemption with it is then a replay.
    expect((await verify(provider.token, { code })).body.errors).toBeUndefined();
    const replay = await gateway(REDEEM, { token: provider.token, variables: { code, item: 'MEDICAL_GREEN_CHANNEL', key: randomUUID() } });
    expect(onlyError(replay.body)).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'CODE_ALREADY_USED' } });

    // A D-tier card is not entitled to Sichuan's medical green channel (tier B and up).
    const issued = await gateway('mutation I($input: IssueTalentCardInput!) { issueChongqingTalentCard(input: $input) { cardNumber } }', {
      token: await tokenFor('cq.admin'),
      variables: { input: { holderName: 'Liu Yang', holderUserId: seededUserId('liu.yang'), tier: 'D', validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString() } },
    });
    expect(issued.body.errors).toBeUndefined();
    const low = await gateway(REDEEM, { token: provider.token, variables: { code: (await codeFor('liu.yang', 'Chongqing')).code, item: 'MEDICAL_GREEN_CHANNEL', key: randomUUID() } });
    expect(onlyError(low.body)).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'NOT_ENTITLED' } });

    // A Sichuan provider redeems only for Chongqing cards.
    const ownCard = await gateway(REDEEM, { token: provider.token, variables: { code: (await codeFor('li.wei')).code, item: 'MEDICAL_GREEN_CHANNEL', key: randomUUID() } });
    expect(onlyError(ownCard.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'code' } });
  });

  it('is refused to researchers, and to clients Sichuan did not grant card:verify', async () => {
    const { code } = await codeFor('chen.jing', 'Chongqing');
    const researcher = await gateway(REDEEM, { token: await tokenFor('li.wei'), variables: { code, item: 'CULTURE_TOURISM', key: randomUUID() } });
    expect(onlyError(researcher.body).extensions?.['code']).toBe('FORBIDDEN');
    const ungranted = await createPartnerClient(['card:verify'], { grants: { chongqing: ['card:verify'] } });
    const refused = await gateway(REDEEM, { token: ungranted.token, variables: { code, item: 'CULTURE_TOURISM', key: randomUUID() } });
    expect(onlyError(refused.body).extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('the issuer\'s check log', () => {
  const LOG = `query Checks($n: String) { sichuan { cardChecks(cardNumber: $n, first: 100) {
    edges { node { checkedAt method cardNumber result actorKind actorId actorName clientId askerProvince requestId } } pageInfo { hasNextPage } } } }`;

  it('holds exactly the checks a provider made, refusals included, for Sichuan\'s admins only', async () => {
    const provider = await createPartnerClient(['card:verify'], { grants: { sichuan: ['card:verify'] } });
    const { code } = await codeFor('li.wei');
    const requestIds: string[] = [];
    const tracked = async (variables: { code?: string; n?: string }) => {
      const requestId = `card-check-${randomUUID()}`;
      requestIds.push(requestId);
      await gateway(VERIFY, { token: provider.token, variables, headers: { 'x-request-id': requestId } });
    };
    await tracked({ code });
    await tracked({ code });
    await tracked({ n: liWeiCard.cardNumber });
    await tracked({ code: 'SC-00000-00000' });

    const { body } = await gateway(LOG, { token: await tokenFor('sc.admin'), variables: {} });
    expect(body.errors).toBeUndefined();
    const mine = body.data.sichuan.cardChecks.edges
      .map((edge: { node: Record<string, unknown> }) => edge.node)
      .filter((node: { clientId: string }) => node.clientId === provider.clientId);
    const base = { actorKind: 'client', actorId: `client:${provider.clientId}`, clientId: provider.clientId, askerProvince: null };
    // Newest first.
    expect(mine).toEqual([
      { ...base, method: 'CODE', cardNumber: null, result: 'CODE_UNKNOWN', requestId: requestIds[3], checkedAt: expect.any(String), actorName: expect.anything() },
      { ...base, method: 'NUMBER', cardNumber: liWeiCard.cardNumber, result: 'VALID', requestId: requestIds[2], checkedAt: expect.any(String), actorName: expect.anything() },
      { ...base, method: 'CODE', cardNumber: liWeiCard.cardNumber, result: 'CODE_ALREADY_USED', requestId: requestIds[1], checkedAt: expect.any(String), actorName: expect.anything() },
      { ...base, method: 'CODE', cardNumber: liWeiCard.cardNumber, result: 'VALID', requestId: requestIds[0], checkedAt: expect.any(String), actorName: expect.anything() },
    ]);

    const byNumber = await gateway(LOG, { token: await tokenFor('sc.admin'), variables: { n: liWeiCard.cardNumber.toLowerCase() } });
    expect(byNumber.body.data.sichuan.cardChecks.edges.every((edge: { node: { cardNumber: string } }) => edge.node.cardNumber === liWeiCard.cardNumber)).toBe(true);

    for (const who of ['cq.admin', 'li.wei']) {
      const refused = await gateway(LOG, { token: await tokenFor(who), variables: {} });
      expect(onlyError(refused.body).extensions?.['code']).toBe('FORBIDDEN');
    }
  });

  it('records a person\'s home province', async () => {
    const requestId = `card-check-${randomUUID()}`;
    await gateway(VERIFY, { token: await tokenFor('cq.admin'), variables: { n: liWeiCard.cardNumber }, headers: { 'x-request-id': requestId } });
    const { body } = await gateway(LOG, { token: await tokenFor('sc.admin'), variables: { n: liWeiCard.cardNumber } });
    const node = body.data.sichuan.cardChecks.edges.map((edge: { node: { requestId: string } }) => edge.node).find((n: { requestId: string }) => n.requestId === requestId);
    expect(node).toMatchObject({ method: 'NUMBER', actorKind: 'user', askerProvince: 'chongqing', clientId: null, result: 'VALID' });
  });
});

describe('each province\'s tier scheme', () => {
  const SCHEMES = `{ sichuan { tierScheme { code name nameZh } partnerTierMapping { partnerTier ownTier } }
                    chongqing { tierScheme { code name nameZh } partnerTierMapping { partnerTier ownTier } } }`;

  it('names the same four codes in its own words, and says how it counts the partner\'s tiers', async () => {
    const { body } = await gateway(SCHEMES);
    expect(body.errors).toBeUndefined();
    const { sichuan, chongqing } = body.data;
    expect(sichuan.tierScheme.map((tier: { code: string }) => tier.code)).toEqual(['A', 'B', 'C', 'D']);
    expect(chongqing.tierScheme.map((tier: { code: string }) => tier.code)).toEqual(['A', 'B', 'C', 'D']);
    expect(sichuan.tierScheme[1].name).toMatch(/Tianfu Talent Card, Class B/);
    expect(chongqing.tierScheme[1].name).toMatch(/Category II/);
    expect(sichuan.partnerTierMapping).toHaveLength(4);

    const mine = await gateway('{ me { sichuanTalentCard { tier tierName } } }', { token: await tokenFor('li.wei') });
    expect(mine.body.data.me.sichuanTalentCard).toEqual({ tier: 'B', tierName: sichuan.tierScheme[1].name });
    const checked = await verify(await partnerToken(), { code: (await codeFor('chen.jing', 'Chongqing')).code });
    expect(checked.body.errors).toBeUndefined();
    const named = await gateway('query V($code: String!) { verifyTalentCard(code: $code) { ... on ChongqingCodeVerification { tier tierName } } }', {
      token: await partnerToken(), variables: { code: (await codeFor('chen.jing', 'Chongqing')).code },
    });
    expect(named.body.data.verifyTalentCard).toEqual({ tier: 'A', tierName: chongqing.tierScheme[0].name });
  });

  it('recognises a partner card at the tier its mapping gives it', async () => {
    // A Chongqing category-IV (D) card; Sichuan grants a D card three items.
    const issued = await gateway('mutation I($input: IssueTalentCardInput!) { issueChongqingTalentCard(input: $input) { cardNumber } }', {
      token: await tokenFor('cq.admin'),
      variables: { input: { holderName: 'Mapping Holder', holderUserId: (await createUser('mapping.holder')).id, tier: 'D', validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString() } },
    });
    const cardNumber = issued.body.data.issueChongqingTalentCard.cardNumber as string;
    const services = async () => {
      const { body } = await gateway('query V($n: String!) { verifyTalentCard(cardNumber: $n) { tier recognizedServices { code } } }', {
        token: await tokenFor('sc.admin'), variables: { n: cardNumber },
      });
      expect(body.errors).toBeUndefined();
      return (body.data.verifyTalentCard.recognizedServices as { code: string }[]).map((service) => service.code).sort();
    };
    expect(await services()).toEqual(['CULTURE_TOURISM', 'EXIT_ENTRY', 'INSTRUMENT_SHARING_VOUCHER']);

    // Sichuan decides that Chongqing's category IV counts as its own class B.
    await sql('sichuan', "UPDATE partner_tier_mapping SET own_tier = 'B' WHERE partner_tier = 'D'");
    try {
      const mapped = await gateway('{ sichuan { partnerTierMapping { partnerTier ownTier } } }');
      expect(mapped.body.data.sichuan.partnerTierMapping).toContainEqual({ partnerTier: 'D', ownTier: 'B' });
      const { body } = await gateway('{ sichuan { recognitionCatalog { code minimumTier } } }');
      const fromB = (body.data.sichuan.recognitionCatalog as { code: string; minimumTier: string }[])
        .filter((item) => item.minimumTier !== 'A').map((item) => item.code).sort();
      expect(await services()).toEqual(fromB);
      expect(fromB.length).toBeGreaterThan(3);
    } finally {
      await sql('sichuan', "UPDATE partner_tier_mapping SET own_tier = 'D' WHERE partner_tier = 'D'");
    }
  });
});
