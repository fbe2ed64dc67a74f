/**
 * @testSystem in-process: the portal's journey goes through the gateway, and the refusals are asked of each subgraph directly too.
 *
 * A partner system acting for a signed-in person with their consent: the platform's authorization-code grant with
 * PKCE (approval by the person, a one-time code bound to client, redirect URI and verifier, the exchange with the
 * client's own secret), tokens naming both the person and the client, each province applying its own grant to
 * them, consents listed and revoked, and bookings and service requests that name the client they came through.
 */
import { createHash, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { seededUserId } from '../../shared/src';
import { createPartnerClient, type TestPartnerClient } from '../support/callers';
import { closePools, createInstrument, issueCard, localTime, newKey, sql, SlotAllocator } from '../support/registryFixtures';
import { gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';
import { createUser } from '../support/throwawayIdentities';
import { until } from '../support/until';

afterAll(() => closePools());

const PORTAL = { clientId: 'demo-portal', clientSecret: 'shuangcheng-portal-secret', redirectUri: 'https://portal.scu.example/shuangcheng/callback' };
const REDIRECT = 'https://portal.test.example/callback';
const slots = new SlotAllocator(9);

const APPROVE = `mutation Approve($input: ApprovePartnerClientInput!) {
  approvePartnerClient(input: $input) { code state redirectTo expiresAt consent { id clientId organisation scopes revokedAt } }
}`;
const EXCHANGE = `mutation Exchange($clientId: String!, $clientSecret: String!, $code: String!, $redirectUri: String!, $codeVerifier: String!) {
  exchangeAuthorizationCode(clientId: $clientId, clientSecret: $clientSecret, code: $code, redirectUri: $redirectUri, codeVerifier: $codeVerifier) {
    token tokenType expiresAt scopes consentId
  }
}`;
const BOOK = (P: string) => `mutation Book($id: ID!, $start: DateTime!, $end: DateTime!, $key: String!) {
  book${P}Instrument(instrumentId: $id, start: $start, end: $end, purpose: "Crystal screening booked through the portal", idempotencyKey: $key) {
    id status channel channelClientId user { id }
  }
}`;
const REVOKE = 'mutation Revoke($clientId: String!) { revokeConsent(clientId: $clientId) { clientId revokedAt revokedReason } }';

/** A PKCE pair (RFC 7636, S256). */
function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

interface Approved { code: string; verifier: string; redirectUri: string }

/** The person (signed in themselves) approves the client's request; the code and verifier the client then holds. */
async function approve(personToken: string, clientId: string, scopes: string[], redirectUri = REDIRECT): Promise<Approved> {
  const { verifier, challenge } = pkce();
  const { body } = await gateway(APPROVE, { token: personToken, variables: { input: { clientId, redirectUri, scopes, codeChallenge: challenge, state: 'xyz' } } });
  expect(body.errors).toBeUndefined();
  return { code: body.data.approvePartnerClient.code, verifier, redirectUri };
}

function exchange(client: { clientId: string; clientSecret: string }, approved: Approved, overrides: Record<string, string> = {}) {
  return gateway(EXCHANGE, {
    variables: { clientId: client.clientId, clientSecret: client.clientSecret, code: approved.code, redirectUri: approved.redirectUri, codeVerifier: approved.verifier, ...overrides },
  });
}

async function delegatedToken(client: { clientId: string; clientSecret: string }, approved: Approved): Promise<string> {
  const { body } = await exchange(client, approved);
  expect(body.errors).toBeUndefined();
  return body.data.exchangeAuthorizationCode.token;
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A Sichuan instrument of the test's own, open all day. */
let instrumentId: string;
beforeAll(async () => {
  instrumentId = await createInstrument('sichuan');
});

/** A researcher of the test's own, and a client registered for acting, granted booking by Sichuan only. */
async function researcherAndPortal(platformScopes = ['catalog:read', 'booking:write', 'service:request']) {
  const person = await createUser('acting');
  const personToken = await tokenFor(person.username);
  const client = await createPartnerClient(platformScopes, { redirectUris: [REDIRECT], grants: { sichuan: platformScopes } });
  return { person, personToken, client };
}

/** A Sichuan sample-testing offering on the test's instrument. */
async function createOffering(): Promise<string> {
  const { body } = await gateway(`mutation O($instrumentId: ID!) { createSichuanOffering(input: { instrumentId: $instrumentId, kind: SAMPLE_TESTING,
    name: "Portal sequencing", nameZh: "门户测序", turnaroundDays: 7, sampleForm: [{ name: "organism", label: "Organism", type: TEXT }],
    prices: [{ category: OWN_PROVINCE_ACADEMIC, amountFen: 80000 }, { category: OTHER_PROVINCE_ACADEMIC, amountFen: 90000 },
             { category: ENTERPRISE, amountFen: 150000 }, { category: INTERNAL, amountFen: 50000 }] }) { id } }`, {
    token: await tokenFor('sc.admin'), variables: { instrumentId },
  });
  expect(body.errors).toBeUndefined();
  return body.data.createSichuanOffering.id;
}

const requestInput = (offeringId: string, description: string) => ({
  offeringId, formValues: [{ name: 'organism', value: 'Oryza sativa' }], sampleCount: 4, neededBy: localTime(20, 12), description, idempotencyKey: newKey(),
});

describe('the demo university portal', () => {
  it('books for a consenting researcher, and the booking names the portal to her and to Sichuan\'s staff', async () => {
    const liWei = await tokenFor('li.wei');
    const approved = await approve(liWei, PORTAL.clientId, ['booking:write', 'service:request'], PORTAL.redirectUri);
    const { body } = await exchange(PORTAL, approved);
    expect(body.errors).toBeUndefined();
    const issued = body.data.exchangeAuthorizationCode;
    expect(issued.scopes).toEqual(['booking:write', 'service:request']);
    // The seeded consent is kept, not replaced: same scopes.
    expect(issued.consentId).toBe((await sql('platform', "SELECT id FROM client_consents WHERE client_id = 'demo-portal' AND revoked_at IS NULL"))[0]!.id);
    const claims = claimsOf(issued.token);
    expect(claims).toMatchObject({ sub: seededUserId('li.wei'), act: { sub: 'client:demo-portal' }, cid: issued.consentId, roles: ['researcher'], scope: 'booking:write service:request' });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBeLessThanOrEqual(300);

    const slot = slots.take();
    const booked = await gateway(BOOK('Sichuan'), { token: issued.token, variables: { id: instrumentId, ...slot, key: newKey() } });
    expect(booked.body.errors).toBeUndefined();
    expect(booked.body.data.bookSichuanInstrument).toMatchObject({ channel: 'PARTNER_CLIENT', channelClientId: 'demo-portal', user: { id: seededUserId('li.wei') } });
    const bookingId = booked.body.data.bookSichuanInstrument.id as string;

    const mine = await gateway('query { me { sichuanBookings { id channel channelClientId } } }', { token: liWei });
    expect(mine.body.data.me.sichuanBookings).toContainEqual({ id: bookingId, channel: 'PARTNER_CLIENT', channelClientId: 'demo-portal' });
    const staff = await gateway('query B($id: ID!) { sichuan { booking(id: $id) { channel channelClientId } } }', { token: await tokenFor('sc.admin'), variables: { id: bookingId } });
    expect(staff.body.data.sichuan.booking).toEqual({ channel: 'PARTNER_CLIENT', channelClientId: 'demo-portal' });
    const [row] = await sql('sichuan', 'SELECT channel, channel_client_id FROM bookings WHERE id = $1', [bookingId.split(':')[2]]);
    expect(row).toEqual({ channel: 'PARTNER_CLIENT', channel_client_id: 'demo-portal' });

    // Sichuan's access log names the person as the actor and the portal as the client the write came through.
    const log = await gateway('query { sichuan { accessLog(filter: { clientId: "demo-portal", kind: WRITE }, first: 20) { edges { node { actorKind actorName clientId operation entityIds } } } } }', {
      token: await tokenFor('sc.admin'),
    });
    expect(log.body.data.sichuan.accessLog.edges.map((edge: { node: unknown }) => edge.node)).toContainEqual({
      actorKind: 'USER', actorName: 'Li Wei', clientId: 'demo-portal', operation: 'bookSichuanInstrument', entityIds: expect.arrayContaining([bookingId]),
    });

    // A booking the person makes herself stays DIRECT.
    const direct = await gateway(BOOK('Sichuan'), { token: liWei, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(direct.body.data.bookSichuanInstrument).toMatchObject({ channel: 'DIRECT', channelClientId: null });
  });

  it('is refused by Chongqing, which granted it nothing, at the gateway and at Chongqing\'s subgraph', async () => {
    const token = await delegatedToken(PORTAL, await approve(await tokenFor('li.wei'), PORTAL.clientId, ['booking:write', 'service:request'], PORTAL.redirectUri));
    const cqId = (await gateway('query { chongqing { instruments(first: 1, filter: { bookableOnly: true }) { edges { node { id } } } } }')).body.data.chongqing.instruments.edges[0].node.id;
    const viaGateway = await gateway(BOOK('Chongqing'), { token, variables: { id: cqId, ...slots.take(), key: newKey() } });
    expect(onlyError(viaGateway.body)).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'CLIENT_NOT_GRANTED' }, message: expect.stringContaining('Chongqing has not granted partner client demo-portal') });
    const direct = await graphql(testSystem().subgraphUrls.chongqing, 'query { chongqing { name } }', { token });
    expect(direct.status).toBe(403);
    expect(onlyError(direct.body).extensions?.['reason']).toBe('CLIENT_NOT_GRANTED');
  });

  it('gets no booking scope in a token of its own: without a person\'s consent it cannot book', async () => {
    const own = await gateway('mutation { issueClientToken(clientId: "demo-portal", clientSecret: "shuangcheng-portal-secret") { token scopes } }');
    expect(own.body.data.issueClientToken.scopes).toEqual(['catalog:read']);
    const refused = await gateway(BOOK('Sichuan'), { token: own.body.data.issueClientToken.token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(onlyError(refused.body).extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('service requests through a client', () => {
  it('records the channel and client of a request the client submits for the person', async () => {
    const { personToken, client } = await researcherAndPortal();
    const token = await delegatedToken(client, await approve(personToken, client.clientId, ['service:request']));
    const input = requestInput(await createOffering(), 'Four rice lines, asked for through the portal');
    const submitted = await gateway('mutation S($input: ServiceRequestInput!) { submitSichuanServiceRequest(input: $input) { id status channel channelClientId requesterName } }', {
      token, variables: { input },
    });
    expect(submitted.body.errors).toBeUndefined();
    expect(submitted.body.data.submitSichuanServiceRequest).toMatchObject({ status: 'SUBMITTED', channel: 'PARTNER_CLIENT', channelClientId: client.clientId, requesterName: 'Token Test' });
    const mine = await gateway('query { me { sichuanServiceRequests { id channel channelClientId } } }', { token: personToken });
    expect(mine.body.data.me.sichuanServiceRequests).toContainEqual({ id: submitted.body.data.submitSichuanServiceRequest.id, channel: 'PARTNER_CLIENT', channelClientId: client.clientId });

    // The same token may not book: the person consented to service requests only.
    const book = await gateway(BOOK('Sichuan'), { token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(onlyError(book.body)).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('booking:write') });
  });
});

describe('scopes are the intersection of the person\'s, the client\'s registration, the consent and the province\'s grant', () => {
  it('refuses a consent for a scope the client is not registered for, or the person does not hold', async () => {
    const { personToken, client } = await researcherAndPortal(['catalog:read', 'booking:write']);
    const { challenge } = pkce();
    const tooMuch = await gateway(APPROVE, { token: personToken, variables: { input: { clientId: client.clientId, redirectUri: REDIRECT, scopes: ['booking:write', 'service:request'], codeChallenge: challenge } } });
    expect(onlyError(tooMuch.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('not registered for service:request') });
    const notDelegable = await gateway(APPROVE, { token: personToken, variables: { input: { clientId: client.clientId, redirectUri: REDIRECT, scopes: ['catalog:read'], codeChallenge: challenge } } });
    expect(onlyError(notDelegable.body).extensions?.['code']).toBe('BAD_USER_INPUT');
    // An admin holds no booking scope to hand on.
    const admin = await gateway(APPROVE, { token: await tokenFor('sc.admin'), variables: { input: { clientId: client.clientId, redirectUri: REDIRECT, scopes: ['booking:write'], codeChallenge: challenge } } });
    expect(onlyError(admin.body)).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('You do not hold booking:write') });
    expect(await sql('platform', 'SELECT 1 FROM client_consents WHERE client_id = $1', [client.clientId])).toHaveLength(0);
  });

  it('serves a province\'s part only when that province grants it, whatever the token says', async () => {
    const person = await createUser('acting');
    const client = await createPartnerClient(['catalog:read', 'booking:write', 'service:request'], { redirectUris: [REDIRECT], grants: { sichuan: ['catalog:read'] } });
    const token = await delegatedToken(client, await approve(await tokenFor(person.username), client.clientId, ['booking:write', 'service:request']));
    expect(claimsOf(token)['scope']).toBe('booking:write service:request');
    // Sichuan granted catalog:read only: no scope of this token survives, so Sichuan refuses it outright.
    const refused = await gateway(BOOK('Sichuan'), { token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(onlyError(refused.body).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CLIENT_NOT_GRANTED' });
    await gateway('mutation G($id: String!) { grantSichuanClientScopes(clientId: $id, scopes: ["booking:write"]) { scopes } }', { token: await tokenFor('sc.admin'), variables: { id: client.clientId } });
    const booked = await gateway(BOOK('Sichuan'), { token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(booked.body.errors).toBeUndefined();
    // Granted booking only: its service requests are refused by the directive with the narrowed scopes.
    const request = await gateway('mutation S($input: ServiceRequestInput!) { submitSichuanServiceRequest(input: $input) { id } }', {
      token, variables: { input: { offeringId: 'sc:offering:00000000-0000-4000-8000-000000000000', formValues: [], sampleCount: 1, neededBy: localTime(20, 12), description: 'x', idempotencyKey: newKey() } },
    });
    expect(onlyError(request.body)).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('service:request') });
  });
});

describe('the one-time code', () => {
  let setup: Awaited<ReturnType<typeof researcherAndPortal>>;
  beforeAll(async () => {
    setup = await researcherAndPortal();
  });

  it('is bound to the client, the redirect URI and the PKCE verifier; a failed attempt leaves it usable', async () => {
    const approved = await approve(setup.personToken, setup.client.clientId, ['booking:write']);
    const other: TestPartnerClient = await createPartnerClient(['booking:write'], { redirectUris: [REDIRECT] });
    expect(onlyError((await exchange(other, approved)).body).extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CODE_UNKNOWN' });
    expect(onlyError((await exchange(setup.client, approved, { redirectUri: 'https://portal.test.example/other' })).body).extensions).toMatchObject({ reason: 'REDIRECT_URI_MISMATCH' });
    expect(onlyError((await exchange(setup.client, approved, { codeVerifier: pkce().verifier })).body).extensions).toMatchObject({ reason: 'PKCE_MISMATCH' });
    expect(onlyError((await exchange(setup.client, approved, { clientSecret: 'not-the-secret' })).body).extensions?.['code']).toBe('UNAUTHENTICATED');
    expect((await exchange(setup.client, approved)).body.errors).toBeUndefined();
  });

  it('works once: a replay is refused and revokes the consent, so the first token stops working too', async () => {
    const approved = await approve(setup.personToken, setup.client.clientId, ['booking:write']);
    const first = await delegatedToken(setup.client, approved);
    expect((await gateway(BOOK('Sichuan'), { token: first, variables: { id: instrumentId, ...slots.take(), key: newKey() } })).body.errors).toBeUndefined();
    const replay = await exchange(setup.client, approved);
    expect(onlyError(replay.body)).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'CODE_USED' }, message: expect.stringContaining('consent it came from is revoked') });
    expect((await graphql(testSystem().subgraphUrls.platform, 'query { me { id } }', { token: first })).status).toBe(401);
    const refused = await until('Sichuan to refuse the replayed code\'s token', async () => {
      const response = await graphql(testSystem().subgraphUrls.sichuan, 'query { sichuan { name } }', { token: first });
      return response.status === 401 ? response : undefined;
    });
    expect(onlyError(refused.body).message).toContain('revoked their consent');
  });

  it('expires, and is refused for a redirect URI the client did not register or a plain PKCE method', async () => {
    const approved = await approve(setup.personToken, setup.client.clientId, ['booking:write']);
    await sql('platform', "UPDATE authorization_codes SET expires_at = now() - interval '1 second' WHERE code_hash = $1", [createHash('sha256').update(approved.code).digest('hex')]);
    expect(onlyError((await exchange(setup.client, approved)).body).extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CODE_EXPIRED' });
    const { challenge } = pkce();
    const unregistered = await gateway(APPROVE, { token: setup.personToken, variables: { input: { clientId: setup.client.clientId, redirectUri: 'https://evil.example/cb', scopes: ['booking:write'], codeChallenge: challenge } } });
    expect(onlyError(unregistered.body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'REDIRECT_URI_NOT_REGISTERED' });
    const plain = await gateway(APPROVE, { token: setup.personToken, variables: { input: { clientId: setup.client.clientId, redirectUri: REDIRECT, scopes: ['booking:write'], codeChallenge: challenge, codeChallengeMethod: 'plain' } } });
    expect(onlyError(plain.body).extensions?.['code']).toBe('BAD_USER_INPUT');
    const made = await exchange(setup.client, { code: randomBytes(32).toString('base64url'), verifier: pkce().verifier, redirectUri: REDIRECT });
    expect(onlyError(made.body).extensions).toMatchObject({ reason: 'CODE_UNKNOWN' });
  });
});

describe('consents', () => {
  it('are listed by the person and a platform admin, and a revocation refuses the client\'s tokens everywhere', async () => {
    const { person, personToken, client } = await researcherAndPortal();
    const token = await delegatedToken(client, await approve(personToken, client.clientId, ['booking:write']));
    const mine = await gateway('query { me { consents { clientId organisation scopes revokedAt lastUsedAt } } }', { token: personToken });
    expect(mine.body.data.me.consents).toEqual([{ clientId: client.clientId, organisation: 'Test partner', scopes: ['booking:write'], revokedAt: null, lastUsedAt: expect.any(String) }]);
    const admin = await gateway('query C($id: ID!) { clientConsents(userId: $id) { clientId user { id displayName } } }', { token: await tokenFor('platform.admin'), variables: { id: person.id } });
    expect(admin.body.data.clientConsents).toEqual([{ clientId: client.clientId, user: { id: person.id, displayName: 'Token Test' } }]);
    const notAdmin = await gateway('query C($id: ID!) { clientConsents(userId: $id) { clientId } }', { token: await tokenFor('li.wei'), variables: { id: person.id } });
    expect(onlyError(notAdmin.body).extensions?.['code']).toBe('FORBIDDEN');

    // The client cannot manage consents with the person's delegated token, nor approve itself.
    for (const query of ['query { me { consents { clientId } } }', `mutation { revokeConsent(clientId: "${client.clientId}") { clientId } }`]) {
      expect(onlyError((await gateway(query, { token })).body).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_SESSION' });
    }

    const { subgraphUrls } = testSystem();
    expect((await graphql(subgraphUrls.sichuan, 'query { sichuan { name } }', { token })).status).toBe(200);
    const revoked = await gateway(REVOKE, { token: personToken, variables: { clientId: client.clientId } });
    expect(revoked.body.data.revokeConsent).toMatchObject({ clientId: client.clientId, revokedAt: expect.any(String), revokedReason: 'revoked by the person' });
    // The platform at once; Sichuan within CLIENT_STATUS_MAX_AGE_SECONDS (1 s in tests).
    const atPlatform = await graphql(subgraphUrls.platform, 'query { me { id } }', { token });
    expect(atPlatform.status).toBe(401);
    expect(onlyError(atPlatform.body).message).toContain('revoked their consent');
    await until('Sichuan to refuse the revoked consent\'s token', async () =>
      (await graphql(subgraphUrls.sichuan, 'query { sichuan { name } }', { token })).status === 401 || undefined);
    const booking = await gateway(BOOK('Sichuan'), { token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(onlyError(booking.body).extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(onlyError((await gateway(REVOKE, { token: personToken, variables: { clientId: client.clientId } })).body).extensions?.['code']).toBe('NOT_FOUND');
  });

  it('of a suspended client: its delegated token is refused at the subgraph', async () => {
    const { personToken, client } = await researcherAndPortal();
    const token = await delegatedToken(client, await approve(personToken, client.clientId, ['booking:write']));
    await gateway('mutation S($id: String!) { suspendPartnerClient(clientId: $id, reason: "Contract under review") { status } }', { token: await tokenFor('platform.admin'), variables: { id: client.clientId } });
    const refused = await until('Sichuan to refuse the suspended client\'s delegated token', async () => {
      const response = await graphql(testSystem().subgraphUrls.sichuan, BOOK('Sichuan'), { token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
      return response.status === 401 ? response : undefined;
    });
    expect(onlyError(refused.body)).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('is suspended') });
    const approveAgain = await gateway(APPROVE, { token: personToken, variables: { input: { clientId: client.clientId, redirectUri: REDIRECT, scopes: ['booking:write'], codeChallenge: pkce().challenge } } });
    expect(onlyError(approveAgain.body).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CLIENT_SUSPENDED' });
  });
});

describe('the person\'s own records: a client reaches only what the consent names', () => {
  /** Everything a client may do for a person; each test's client is registered and granted by Sichuan for all of it. */
  const EVERY_SCOPE = ['catalog:read', 'booking:write', 'service:request', 'person:read', 'card:present', 'voucher:spend'];
  let person: { id: string; username: string };
  let personToken: string;
  let card: { id: string; cardNumber: string };
  let voucherId: string;
  let offeringId: string;

  beforeAll(async () => {
    person = await createUser('own');
    personToken = await tokenFor(person.username);
    card = await issueCard('sichuan', { holderUserId: person.id, holderName: 'Token Test' });
    const { body } = await gateway('mutation V($input: IssueVoucherInput!) { issueSichuanVoucher(input: $input) { id } }', {
      token: await tokenFor('sc.admin'),
      variables: { input: { holderUserId: person.id, holderName: 'Token Test', amountFen: 100_000, validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(), acceptedIn: ['SICHUAN', 'CHONGQING'], maxSharePercent: 50 } },
    });
    expect(body.errors).toBeUndefined();
    voucherId = body.data.issueSichuanVoucher.id;
    offeringId = await createOffering();
  });

  /** A token a client of its own holds for the person, with the person's consent to `scopes`; Sichuan grants the client `granted`. */
  async function actingWith(scopes: string[], granted = EVERY_SCOPE): Promise<string> {
    const client = await createPartnerClient(EVERY_SCOPE, { redirectUris: [REDIRECT], grants: { sichuan: granted } });
    return delegatedToken(client, await approve(personToken, client.clientId, scopes));
  }

  /** A request of the person's, quoted by Sichuan: waiting for the person to accept or decline. */
  async function quotedRequest(): Promise<string> {
    const { body } = await gateway('mutation S($input: ServiceRequestInput!) { submitSichuanServiceRequest(input: $input) { id } }', {
      token: personToken, variables: { input: requestInput(offeringId, 'A request waiting for its quote to be accepted') },
    });
    expect(body.errors).toBeUndefined();
    const id = body.data.submitSichuanServiceRequest.id as string;
    await sql('sichuan', "UPDATE service_requests SET status = 'QUOTED', quote_amount_fen = 50000, quote_valid_until = now() + interval '10 days' WHERE id = $1", [id.split(':')[2]]);
    return id;
  }

  const READ_CARD = 'query C($n: String!) { sichuan { talentCard(cardNumber: $n) { cardNumber holderName tier } } }';
  const MY_CARD = 'query { me { sichuanTalentCard { cardNumber holderName } } }';
  const MY_VOUCHERS = 'query { me { sichuanVouchers { id availableFen } } }';
  const READ_VOUCHER = 'query V($id: ID!) { sichuan { voucher(id: $id) { availableFen heldFen } } }';
  const CARD_BY_ID = 'query C($id: ID!) { talentCard(id: $id) { cardNumber } }';
  const CODE = 'mutation { createSichuanCardVerificationCode { code cardNumber } }';
  const RESERVE = `mutation R($voucherId: ID!, $holdKey: ID!, $chargeRef: String!) {
    reserveSichuanVoucher(voucherId: $voucherId, amountFen: 1000, chargeAmountFen: 10000, servingProvince: CHONGQING, chargeRef: $chargeRef, holdKey: $holdKey) { status amountFen }
  }`;
  const PAY = `mutation P($voucherId: ID!, $chargeRef: String!, $key: String!) {
    paySichuanChargeWithVoucher(chargeRef: $chargeRef, chargeAmountFen: 10000, voucherId: $voucherId, amountFen: 1000, idempotencyKey: $key) { state }
  }`;
  const ACCEPT = 'mutation A($id: ID!) { acceptSichuanServiceQuote(id: $id, note: "Accepted") { status } }';
  const reserveVariables = () => ({ voucherId, holdKey: randomUUID(), chargeRef: `cq:charge:${randomUUID()}` });
  const holds = async () => (await sql('sichuan', 'SELECT count(*)::int AS n FROM voucher_holds WHERE voucher_id = $1', [voucherId.split(':')[2]]))[0]!['n'];
  const codes = async () => (await sql('sichuan', 'SELECT count(*)::int AS n FROM card_verification_codes WHERE card_id = $1', [card.id.split(':')[2]]))[0]!['n'];
  const statusOf = async (requestId: string) => (await sql('sichuan', 'SELECT status FROM service_requests WHERE id = $1', [requestId.split(':')[2]]))[0]!['status'];

  /** Refused for want of a consented scope: FORBIDDEN naming it, and the consent to ask for. */
  const refusedFor = (body: Parameters<typeof onlyError>[0], scope: string) =>
    expect(onlyError(body)).toMatchObject({
      extensions: { code: 'FORBIDDEN', missingScopes: [scope] },
      message: expect.stringMatching(new RegExp(`${scope}.*approvePartnerClient`)),
    });

  it('a consent for booking only books and follows its bookings, but cannot read the card or the vouchers, spend a voucher, get a card code or accept a quote', async () => {
    const token = await actingWith(['booking:write']);
    const booked = await gateway(BOOK('Sichuan'), { token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(booked.body.errors).toBeUndefined();
    const bookingId = booked.body.data.bookSichuanInstrument.id;
    const followed = await gateway('query B($id: ID!) { sichuan { booking(id: $id) { status } } me { sichuanBookings { id } } }', { token, variables: { id: bookingId } });
    expect(followed.body.errors).toBeUndefined();
    expect(followed.body.data.me.sichuanBookings).toContainEqual({ id: bookingId });

    refusedFor((await gateway(READ_CARD, { token, variables: { n: card.cardNumber } })).body, 'person:read');
    refusedFor((await gateway(MY_CARD, { token })).body, 'person:read');
    refusedFor((await gateway(MY_VOUCHERS, { token })).body, 'person:read');
    refusedFor((await gateway(READ_VOUCHER, { token, variables: { id: voucherId } })).body, 'person:read');
    refusedFor((await gateway(CARD_BY_ID, { token, variables: { id: card.id } })).body, 'person:read');
    // The booking's charge is money: read with person:read, not with the booking consent.
    const charged = await gateway('query B($id: ID!) { sichuan { booking(id: $id) { status charge { id } } } }', { token, variables: { id: bookingId } });
    expect(charged.body.errors).toBeUndefined();

    const [holdsBefore, codesBefore] = [await holds(), await codes()];
    refusedFor((await gateway(RESERVE, { token, variables: reserveVariables() })).body, 'voucher:spend');
    const chargeRef = `sc:charge:${randomUUID()}`;
    refusedFor((await gateway(PAY, { token, variables: { voucherId, chargeRef, key: newKey() } })).body, 'voucher:spend');
    refusedFor((await gateway(CODE, { token })).body, 'card:present');
    expect([await holds(), await codes()]).toEqual([holdsBefore, codesBefore]);
    expect(await sql('sichuan', 'SELECT 1 FROM voucher_redemptions WHERE charge_ref = $1', [chargeRef])).toHaveLength(0);

    const quoted = await quotedRequest();
    refusedFor((await gateway(ACCEPT, { token, variables: { id: quoted } })).body, 'service:request');
    expect(await statusOf(quoted)).toBe('QUOTED');

    // Asked of Sichuan's subgraph directly, the same.
    const direct = await graphql(testSystem().subgraphUrls.sichuan, READ_CARD, { token, variables: { n: card.cardNumber } });
    refusedFor(direct.body, 'person:read');
  });

  it('a consent naming the personal scopes reads the card and vouchers, gets a card code and holds part of a voucher, and still cannot book', async () => {
    const token = await actingWith(['person:read', 'card:present', 'voucher:spend']);
    expect(claimsOf(token)['scope']).toBe('card:present person:read voucher:spend');
    const read = await gateway(READ_CARD, { token, variables: { n: card.cardNumber } });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.sichuan.talentCard).toMatchObject({ cardNumber: card.cardNumber, holderName: 'Token Test' });
    const mine = await gateway('query { me { sichuanTalentCard { cardNumber } sichuanVouchers { id availableFen } } }', { token });
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.me.sichuanVouchers).toContainEqual({ id: voucherId, availableFen: expect.any(Number) });
    const before = mine.body.data.me.sichuanVouchers.find((v: { id: string }) => v.id === voucherId).availableFen as number;

    const code = await gateway(CODE, { token });
    expect(code.body.errors).toBeUndefined();
    expect(code.body.data.createSichuanCardVerificationCode.cardNumber).toBe(card.cardNumber);
    const held = await gateway(RESERVE, { token, variables: reserveVariables() });
    expect(held.body.errors).toBeUndefined();
    expect(held.body.data.reserveSichuanVoucher).toEqual({ status: 'HELD', amountFen: 1000 });
    const after = await gateway(READ_VOUCHER, { token, variables: { id: voucherId } });
    expect(after.body.data.sichuan.voucher.availableFen).toBe(before - 1000);

    const book = await gateway(BOOK('Sichuan'), { token, variables: { id: instrumentId, ...slots.take(), key: newKey() } });
    expect(onlyError(book.body)).toMatchObject({ extensions: { code: 'FORBIDDEN', missingScopes: ['booking:write'] } });
  });

  it('a consent for service requests accepts the person\'s quote', async () => {
    const token = await actingWith(['service:request']);
    const quoted = await quotedRequest();
    const accepted = await gateway(ACCEPT, { token, variables: { id: quoted } });
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data.acceptSichuanServiceQuote.status).toBe('ACCEPTED');
  });

  it('is refused a consented scope the province does not grant the client', async () => {
    const token = await actingWith(['booking:write', 'person:read'], ['booking:write']);
    expect(claimsOf(token)['scope']).toBe('booking:write person:read');
    refusedFor((await gateway(READ_CARD, { token, variables: { n: card.cardNumber } })).body, 'person:read');
  });

  it('what belongs to the person\'s own session is refused to a client holding every scope a consent can name', async () => {
    const token = await actingWith(['booking:write', 'service:request', 'person:read', 'card:present', 'voucher:spend']);
    const mailOff = async () => (await sql('platform', 'SELECT mail_notifications FROM users WHERE id = $1', [person.id]))[0]!['mail_notifications'];
    const feeds = async () => (await sql('platform', 'SELECT count(*)::int AS n FROM calendar_feeds WHERE user_id = $1', [person.id]))[0]!['n'];
    const before = [await mailOff(), await feeds()];
    for (const query of [
      'mutation { updateMyMailSettings(input: { notifications: false }) { mailNotifications } }',
      'mutation { createCalendarFeed { url } }',
      'query { me { calendarFeeds { id } } }',
      'query { me { consents { clientId } } }',
      'mutation { unlinkExternalIdentity(provider: "campus") }',
      'mutation { beginExternalIdentityLink(provider: "campus", redirectUri: "https://portal.test.example/callback") { authorizationUrl } }',
      'query { sichuan { events(first: 1) { edges { cursor } } } }',
      'query { sichuan { webhookSubscriptions { id } } }',
      'mutation { rotatePartnerClientSecret(clientId: "demo-portal") { clientSecret } }',
    ]) {
      const { body } = await gateway(query, { token });
      expect({ query, error: onlyError(body).extensions }).toEqual({ query, error: expect.objectContaining({ code: 'FORBIDDEN', reason: 'NOT_OWN_SESSION' }) });
    }
    expect([await mailOff(), await feeds()]).toEqual(before);
  });

  it('the person\'s own token reads and does all of it, as before', async () => {
    const read = await gateway('query C($n: String!) { sichuan { talentCard(cardNumber: $n) { holderName } } me { sichuanTalentCard { cardNumber } sichuanVouchers { id } } }', {
      token: personToken, variables: { n: card.cardNumber },
    });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.me.sichuanVouchers).toContainEqual({ id: voucherId });
    expect((await gateway(CODE, { token: personToken })).body.errors).toBeUndefined();
    expect((await gateway(RESERVE, { token: personToken, variables: reserveVariables() })).body.errors).toBeUndefined();
    const quoted = await quotedRequest();
    expect((await gateway(ACCEPT, { token: personToken, variables: { id: quoted } })).body.data.acceptSichuanServiceQuote.status).toBe('ACCEPTED');
    expect((await gateway('query { me { calendarFeeds { id } consents { clientId } } }', { token: personToken })).body.errors).toBeUndefined();
  });
});

describe('forged delegation', () => {
  it('refuses an act claim added to a person\'s token without the platform\'s signature', async () => {
    const real = await tokenFor('li.wei');
    const [headerPart, payloadPart, signature] = real.split('.');
    const claims = JSON.parse(Buffer.from(payloadPart!, 'base64url').toString('utf8'));
    // Claiming every personal scope besides: the token's signature, not its claims, decides.
    const forgedClaims = Buffer.from(JSON.stringify({
      ...claims, act: { sub: 'client:demo-portal' }, cid: randomUUID(), jti: randomUUID(), scope: 'booking:write person:read card:present voucher:spend',
    })).toString('base64url');
    // The old signature over new claims, and new claims signed with a key of the forger's own under the platform's kid.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${headerPart}.${forgedClaims}`;
    const selfSigned = `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
    for (const forged of [`${input}.${signature}`, selfSigned]) {
      const { gatewayUrl, subgraphUrls } = testSystem();
      for (const [url, query] of [
        [gatewayUrl, 'query { sichuan { name } }'], [subgraphUrls.sichuan, 'query { sichuan { name } }'], [subgraphUrls.platform, 'query { me { id } }'],
        [gatewayUrl, 'query { me { sichuanTalentCard { holderName } sichuanVouchers { availableFen } } }'],
        [subgraphUrls.sichuan, 'mutation { createSichuanCardVerificationCode { code } }'],
      ] as const) {
        const response = await graphql(url, query, { token: forged });
        expect(response.status).toBe(401);
        expect(onlyError(response.body).extensions?.['code']).toBe('UNAUTHENTICATED');
      }
    }
  });

  it('refuses a platform-signed act claim that names no consent or a client subject in the wrong form', async () => {
    const real = await tokenFor('li.wei');
    const [header, payload] = real.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    const sign = (claims: Record<string, unknown>) => {
      const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString('base64url')}`;
      return `${input}.${createSign('RSA-SHA256').update(input).sign(readFileSync(testSystem().signingKeyFile, 'utf8')).toString('base64url')}`;
    };
    for (const claims of [{ ...payload, act: { sub: 'client:demo-portal' } }, { ...payload, act: { sub: 'demo-portal' }, cid: randomUUID() }, { ...payload, act: 'client:x', cid: randomUUID() }]) {
      const response = await graphql(testSystem().subgraphUrls.sichuan, 'query { sichuan { name } }', { token: sign(claims) });
      expect(response.status).toBe(401);
    }
  });
});
