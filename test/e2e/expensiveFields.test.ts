import { createHash } from 'node:crypto';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../../gateway/src';
import { createLogger } from '../../shared/src';
import { SlotAllocator, closePools, createInstrument, issueCard, newKey, sql } from '../support/registryFixtures';
import { createPartnerClient } from '../support/callers';
import { gateway, testSystem, tokenFor } from '../support/system';

/*
 * Aliases and batches must not multiply sign-ins (a password hash and a
 * session each), bookings and card checks (which record grants) under one
 * request: each selection counts, a request holds at most MAX_EXPENSIVE_FIELDS
 * (5) of them and one sign-in per operation, at the gateway and at every
 * subgraph; and a limited gateway charges every operation of a batch, and each
 * expensive field to its kind's budget, to the caller.
 */

let instrument: string;
let card: string;
const slots = new SlotAllocator(80);
/** A second gateway in front of this file's subgraphs, with small per-caller budgets. */
let limited: RunningGateway;

beforeAll(async () => {
  // Signed in before anything is counted.
  await Promise.all(['li.wei', 'chen.jing', 'sc.admin', 'cq.admin', 'platform.admin'].map((name) => tokenFor(name)));
  instrument = await createInstrument('sichuan');
  card = (await issueCard('sichuan')).cardNumber;
  const { subgraphUrls, gatewaySecret } = testSystem();
  limited = await startGateway(loadGatewayConfig({
    PORT: '0',
    LOG_LEVEL: 'warn',
    SUPERGRAPH_WATCH: 'false',
    JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.platform).toString(),
    PLATFORM_URL: subgraphUrls.platform,
    SICHUAN_URL: subgraphUrls.sichuan,
    CHONGQING_URL: subgraphUrls.chongqing,
    GATEWAY_SECRET: gatewaySecret,
    RATE_LIMIT_PER_MINUTE: '6',
    SIGN_INS_PER_MINUTE: '2',
    BOOKINGS_PER_MINUTE: '2',
    CARD_CHECKS_PER_MINUTE: '3',
  }), createLogger('limited-gateway', 'silent'));
}, 60_000);

afterAll(async () => {
  await limited?.close();
  await closePools();
});

// ---------- requests ----------

interface Answer {
  status: number;
  body: any;
}

/** One POST of `body` (an operation, or an array of them: a batch). */
async function post(url: string, body: unknown, token?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const batchOf = (count: number, operation: (index: number) => object) => Array.from({ length: count }, (_, index) => operation(index));
const aliased = (count: number, field: (index: number) => string) => Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join(' ');

const login = () => 'login(username: "li.wei", password: "shuangcheng-demo") { token }';
/** A booking of a fresh slot of the fixture instrument, with its own idempotency key. */
const booking = () => {
  const slot = slots.take();
  return `bookSichuanInstrument(instrumentId: "${instrument}", start: "${slot.start}", end: "${slot.end}", purpose: "Aliased booking check", idempotencyKey: "${newKey()}") { id }`;
};
/** A check of the fixture card; its recognised services are what Chongqing records a grant for. */
const check = (fields = 'status recognizedServices { code }') => `verifyTalentCard(cardNumber: "${card}") { ${fields} }`;

/** The first error of a refused request (a batch refused whole answers one error). */
const refusal = (answer: Answer) => (Array.isArray(answer.body) ? answer.body[0] : answer.body).errors?.[0];

// ---------- what each refusal must leave unwritten ----------

/** Sessions the platform holds: one per successful sign-in. */
const sessions = async () => (await sql('platform', 'SELECT count(*)::int AS n FROM refresh_tokens'))[0]!['n'] as number;

/** chen.jing's Sichuan bookings, as the API lists them. */
async function bookings(): Promise<number> {
  const { body } = await gateway('{ me { sichuanBookings { id } } }', { token: await tokenFor('chen.jing') });
  return body.data.me.sichuanBookings.length;
}

/** Recognition grants Chongqing has recorded in the last 30 days, as its figures say. */
async function grants(): Promise<number> {
  const { body } = await gateway('{ chongqing { stats { recognitionsGranted } } }');
  return body.data.chongqing.stats.recognitionsGranted;
}

// ---------- per request, at the gateway ----------

describe('expensive fields in one request, through the gateway', () => {
  const url = () => testSystem().gatewayUrl;

  it('refuses a batch of 10 operations of 10 aliased logins before any password is hashed', async () => {
    const before = await sessions();
    const answer = await post(url(), batchOf(10, () => ({ query: `mutation { ${aliased(10, login)} }` })));
    expect(answer.status).toBe(400);
    expect(refusal(answer)).toMatchObject({
      message: expect.stringMatching(/signs in 10 times \(Mutation\.login ×10\).*MAX_SIGN_INS_PER_OPERATION/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_SIGN_INS_PER_OPERATION', actual: 10, allowed: 1, fields: { 'Mutation.login': 10 } },
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/token"|stack|at .*\.ts/);
    expect(await sessions()).toBe(before);
  });

  it('refuses a batch of 10 operations of 10 aliased bookings, and books nothing', async () => {
    const before = await bookings();
    const answer = await post(url(), batchOf(10, () => ({ query: `mutation { ${aliased(10, booking)} }` })), await tokenFor('chen.jing'));
    expect(answer.status).toBe(400);
    expect(refusal(answer).extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_EXPENSIVE_FIELDS', actual: 10, allowed: 5, fields: { 'Mutation.bookSichuanInstrument': 10 },
    });
    expect(await bookings()).toBe(before);
  });

  it('refuses a batch of 10 operations of 10 aliased card checks, and records no grant', async () => {
    const before = await grants();
    const answer = await post(url(), batchOf(10, () => ({ query: `{ ${aliased(10, () => check())} }` })), await tokenFor('cq.admin'));
    expect(answer.status).toBe(400);
    expect(refusal(answer).extensions).toMatchObject({ limit: 'MAX_EXPENSIVE_FIELDS', fields: { 'Query.verifyTalentCard': 10 } });
    expect(await grants()).toBe(before);
  });

  it('counts across the operations of a batch: three of two bookings each are six, over the cap', async () => {
    const before = await bookings();
    const answer = await post(url(), batchOf(3, () => ({ query: `mutation { ${aliased(2, booking)} }` })), await tokenFor('chen.jing'));
    expect(answer.status).toBe(400);
    expect(refusal(answer)).toMatchObject({
      message: expect.stringMatching(/asks for 6 sign-ins, bookings or card checks, with the other operations of this batch/),
      extensions: { limit: 'MAX_EXPENSIVE_FIELDS', actual: 6, allowed: 5 },
    });
    expect(await bookings()).toBe(before);
  });

  it('answers five aliased bookings, the cap, through the gateway and the subgraph behind it, and refuses six', async () => {
    const token = await tokenFor('chen.jing');
    const before = await bookings();
    const six = await post(url(), { query: `mutation { ${aliased(6, booking)} }` }, token);
    expect(refusal(six).extensions).toMatchObject({ limit: 'MAX_EXPENSIVE_FIELDS', actual: 6, allowed: 5 });
    const five = await post(url(), { query: `mutation { ${aliased(5, booking)} }` }, token);
    expect(five.body.errors).toBeUndefined();
    expect(Object.keys(five.body.data)).toHaveLength(5);
    expect(await bookings()).toBe(before + 5);
  });
});

// ---------- per request, straight at the subgraphs ----------

describe('expensive fields in one request, straight at a subgraph', () => {
  it('the platform refuses two logins in one operation, and a batch of six checks', async () => {
    const { platform } = testSystem().subgraphUrls;
    const before = await sessions();
    const logins = await post(platform, { query: `mutation { ${aliased(2, login)} }` });
    expect(logins.status).toBe(400);
    expect(refusal(logins).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_SIGN_INS_PER_OPERATION', actual: 2 });
    expect(await sessions()).toBe(before);

    const checks = await post(platform, batchOf(6, () => ({ query: `{ ${check('cardNumber')} }` })), await tokenFor('cq.admin'));
    expect(checks.status).toBe(400);
    expect(refusal(checks).extensions).toMatchObject({ limit: 'MAX_EXPENSIVE_FIELDS', actual: 6, allowed: 5 });
  });

  it('Sichuan refuses six aliased bookings, and books nothing', async () => {
    const before = await bookings();
    const answer = await post(testSystem().subgraphUrls.sichuan, { query: `mutation { ${aliased(6, booking)} }` }, await tokenFor('chen.jing'));
    expect(answer.status).toBe(400);
    expect(refusal(answer).extensions).toMatchObject({ limit: 'MAX_EXPENSIVE_FIELDS', actual: 6, fields: { 'Mutation.bookSichuanInstrument': 6 } });
    expect(await bookings()).toBe(before);
  });
});

// ---------- per caller, at a gateway with small budgets ----------

describe('per-caller budgets at the gateway', () => {
  const url = () => limited.url;
  const typename = { query: '{ __typename }' };

  it('charges a batch of N operations N points of RATE_LIMIT_PER_MINUTE', async () => {
    const full = await post(url(), batchOf(6, () => typename), await tokenFor('platform.admin'));
    expect(full.status).toBe(200);
    const next = await post(url(), typename, await tokenFor('platform.admin'));
    expect(next.status).toBe(429);
    expect(refusal(next)).toMatchObject({ message: expect.stringMatching(/at most 6 operations a minute, each operation of a batch counting \(RATE_LIMIT_PER_MINUTE\)/), extensions: { code: 'RATE_LIMITED' } });

    // Another caller: one request is fine, a batch that takes it past the limit is refused whole.
    expect((await post(url(), typename, await tokenFor('sc.admin'))).status).toBe(200);
    const over = await post(url(), batchOf(6, () => typename), await tokenFor('sc.admin'));
    expect(over.status).toBe(429);
    expect(refusal(over).extensions).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('refuses a batch of sign-ins past SIGN_INS_PER_MINUTE whole, before any session is made', async () => {
    const before = await sessions();
    const one = await post(url(), { query: `mutation { ${login()} }` });
    expect(one.body.data.login.token).toEqual(expect.any(String));
    const two = await post(url(), batchOf(2, () => ({ query: `mutation { ${login()} }` })));
    expect(two.status).toBe(429);
    expect(refusal(two)).toMatchObject({
      message: expect.stringMatching(/Too many sign-ins \(login, issueClientToken\): at most 2 a minute \(SIGN_INS_PER_MINUTE\)\. Retry in \d+ s\./),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(await sessions()).toBe(before + 1);
  });

  it('answers aliased bookings within BOOKINGS_PER_MINUTE, then refuses a batch past it whole, booking nothing', async () => {
    const token = await tokenFor('chen.jing');
    const before = await bookings();
    const two = await post(url(), { query: `mutation { ${aliased(2, booking)} }` }, token);
    expect(two.body.errors).toBeUndefined();
    expect(await bookings()).toBe(before + 2);

    const batch = await post(url(), batchOf(2, () => ({ query: `mutation { ${booking()} }` })), token);
    expect(batch.status).toBe(429);
    expect(refusal(batch).message).toMatch(/Too many booking requests: at most 2 a minute \(BOOKINGS_PER_MINUTE\)/);
    expect(await bookings()).toBe(before + 2);
  });

  it('charges card checks sent as a persisted-query hash when they are resolved', async () => {
    // A service provider of its own, with budgets nothing else in this file spends (people check no cards).
    const { token } = await createPartnerClient(['card:verify'], { grants: { sichuan: ['card:verify'] } });
    const query = 'query Check($n: String!) { verifyTalentCard(cardNumber: $n) { status } }';
    const hashed = { variables: { n: card }, extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } };
    // Registered with its text (one check), then sent as its hash alone: the text the rate limit first sees is Apollo's.
    const statuses = [(await post(url(), { ...hashed, query }, token)).body.data?.verifyTalentCard?.status];
    for (let i = 0; i < 2; i++) statuses.push((await post(url(), hashed, token)).body.data?.verifyTalentCard?.status);
    expect(statuses).toEqual(['VALID', 'VALID', 'VALID']);
    const fourth = await post(url(), hashed, token);
    expect(refusal(fourth)).toMatchObject({ message: expect.stringMatching(/CARD_CHECKS_PER_MINUTE/), extensions: { code: 'RATE_LIMITED' } });
    // Another caller's budget is its own.
    const other = await post(url(), hashed, await tokenFor('cq.admin'));
    expect(other.body.data.verifyTalentCard.status).toBe('VALID');
  });
});
