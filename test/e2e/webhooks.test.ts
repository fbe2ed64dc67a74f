/**
 * @testSystem in-process
 *
 * Events and webhooks of a province: the outbox written with the change, `events(after:)`, and the
 * delivery worker posting signed events to a real receiver started here.
 */
import { verifyWebhookSignature } from '../../subgraphs/province/src/events/delivery/signWebhook';
import { startWebhookReceiver, type ReceiverAnswer, type WebhookReceiver } from '../../shared/src/testing/webhookReceiver';
import { until } from '../support/until';
import { clientToken, createPartnerClient } from '../support/callers';
import { DEMO_PARTNER_CLIENT } from '../support/demoData';
import { book, closePools, confirm, createInstrument, endedConfirmedBooking, issueCard, localTime, newKey, SlotAllocator, sql } from '../support/registryFixtures';
import { gateway, onlyError, tokenFor, type GraphQLResponse } from '../support/system';

const EVENTS = `query Events($after: String, $types: [String!]) {
  sichuan { events(after: $after, first: 100, types: $types) { edges { cursor node { id sequence type entityType entityId state occurredAt } } pageInfo { endCursor hasNextPage } } }
}`;
const SUBSCRIBE = `mutation Subscribe($input: WebhookSubscriptionInput!) {
  created: createSichuanWebhookSubscription(input: $input) { secret subscription { id clientId url eventTypes active } }
}`;
const DELIVERIES = `query Deliveries($state: WebhookDeliveryState) {
  sichuan { webhookSubscriptions { id deliveries(state: $state) { edges { node { eventId eventType state attempts lastStatus lastError } } } } }
}`;

const slots = new SlotAllocator(60);
let receiver: WebhookReceiver;
let admin: string;
let researcher: string;
let partner: string;

type EventNode = { id: string; sequence: string; type: string; entityType: string; entityId: string; state: string };

async function eventsAfter(token: string, after: string | null, types?: string[]): Promise<{ nodes: EventNode[]; endCursor: string | null }> {
  const { body } = await gateway(EVENTS, { token, variables: { after, types } });
  expect(body.errors).toBeUndefined();
  const connection = body.data.sichuan.events;
  return { nodes: connection.edges.map((edge: { node: EventNode }) => edge.node), endCursor: connection.pageInfo.endCursor };
}

/** The cursor after every event there is now. */
async function latestCursor(): Promise<string | null> {
  let cursor: string | null = null;
  for (;;) {
    const response: GraphQLResponse<{ sichuan: { events: { pageInfo: { endCursor: string | null; hasNextPage: boolean } } } }> =
      await gateway(EVENTS, { token: admin, variables: { after: cursor } });
    const connection = response.body.data!.sichuan.events;
    cursor = connection.pageInfo.endCursor ?? cursor;
    if (!connection.pageInfo.hasNextPage) return cursor;
  }
}

async function subscribe(eventTypes: string[], url = receiver.url, clientId = DEMO_PARTNER_CLIENT.clientId): Promise<{ id: string; secret: string }> {
  const { body } = await gateway(SUBSCRIBE, { token: admin, variables: { input: { clientId, url, eventTypes } } });
  expect(body.errors).toBeUndefined();
  return { id: body.data.created.subscription.id, secret: body.data.created.secret };
}

async function unsubscribe(id: string): Promise<void> {
  const { body } = await gateway('mutation Unsubscribe($id: ID!) { deleteSichuanWebhookSubscription(id: $id) }', { token: admin, variables: { id } });
  expect(body.errors).toBeUndefined();
}

/** The deliveries the receiver got for one event. */
const deliveriesOf = (eventType: string, entityId: string) =>
  receiver.received.filter((r) => r.headers['shuangcheng-event-type'] === eventType && JSON.parse(r.body).entityId === entityId);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  admin = await tokenFor('sc.admin');
  researcher = await tokenFor('chen.jing');
  partner = await clientToken(DEMO_PARTNER_CLIENT.clientId, DEMO_PARTNER_CLIENT.clientSecret);
});

afterAll(async () => {
  await receiver.close();
  await closePools();
});

describe('the outbox', () => {
  it('writes an event with the change, in commit order, and none for a change that fails', async () => {
    const instrumentId = await createInstrument('sichuan');
    const before = await latestCursor();
    const bookingId = await book('sichuan', researcher, instrumentId, slots.take());
    await confirm('sichuan', bookingId);
    // Confirming again is refused: the failed change writes no event.
    const { body } = await gateway('mutation Again($id: ID!) { confirmSichuanBooking(bookingId: $id) { status } }', { token: admin, variables: { id: bookingId } });
    expect(onlyError(body).extensions?.code).toBe('CONFLICT');

    const { nodes } = await eventsAfter(partner, before);
    const mine = nodes.filter((node) => node.entityId === bookingId);
    expect(mine.map((node) => node.type)).toEqual(['booking.requested', 'booking.confirmed']);
    expect(BigInt(mine[1]!.sequence)).toBeGreaterThan(BigInt(mine[0]!.sequence));
    const state = JSON.parse(mine[1]!.state);
    expect(state).toEqual({ status: 'CONFIRMED', instrumentId, start: expect.any(String), end: expect.any(String) });
    // Never who booked or why.
    expect(mine[1]!.state).not.toMatch(/purpose|user|Test fixture/i);
    expect(await sql('sichuan', 'SELECT count(*)::int AS n FROM events WHERE entity_id = $1', [bookingId])).toEqual([{ n: 2 }]);
  });

  it('writes the events the partners are promised, each with ids and the new state only: rejections, cancellations, completions, revoked cards (their numbers masked), retired instruments', async () => {
    const before = await latestCursor();
    const instrumentId = await createInstrument('sichuan');
    const rejected = await book('sichuan', researcher, instrumentId, slots.take());
    const cancelled = await book('sichuan', researcher, instrumentId, slots.take());
    const completed = await endedConfirmedBooking('sichuan', researcher, instrumentId, slots.take());
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const { body } = await gateway(query, { token: admin, variables });
      expect(body.errors).toBeUndefined();
    };
    await ask('mutation($id: ID!) { rejectSichuanBooking(bookingId: $id, reason: "Maintenance that week") { status } }', { id: rejected });
    const { body: cancel } = await gateway('mutation($id: ID!) { cancelSichuanBooking(bookingId: $id, reason: "Plans changed") { status } }', { token: researcher, variables: { id: cancelled } });
    expect(cancel.errors).toBeUndefined();
    await ask('mutation($id: ID!) { completeSichuanBooking(bookingId: $id, note: "Used as booked") { status } }', { id: completed });
    const card = await issueCard('sichuan');
    await ask('mutation($id: ID!) { revokeSichuanTalentCard(id: $id, reason: "Left the province") { status } }', { id: card.id });
    await ask('mutation($id: ID!) { retireSichuanInstrument(id: $id, reason: "Decommissioned") { status } }', { id: instrumentId });

    const { nodes } = await eventsAfter(admin, before);
    const about = (entityId: string) => nodes.filter((node) => node.entityId === entityId).map((node) => ({ type: node.type, state: JSON.parse(node.state) }));
    expect(about(rejected).at(-1)).toEqual({ type: 'booking.rejected', state: { status: 'REJECTED', instrumentId, start: expect.any(String), end: expect.any(String) } });
    expect(about(cancelled).at(-1)).toEqual({ type: 'booking.cancelled', state: expect.objectContaining({ status: 'CANCELLED', instrumentId }) });
    expect(about(completed).at(-1)).toEqual({ type: 'booking.completed', state: expect.objectContaining({ status: 'COMPLETED', instrumentId }) });
    expect(about(card.id).map((event) => event.type)).toEqual(['talentCard.issued', 'talentCard.revoked']);
    // A card is named by its id and its number masked: the feed is no list of numbers to check.
    expect(about(card.id)[0]!.state).toEqual({ maskedCardNumber: card.cardNumber.replace(/-\d{4}(\d{2})$/, '-****$1'), tier: 'B', status: 'ACTIVE', validUntil: expect.any(String) });
    expect(about(card.id)[1]!.state).toMatchObject({ maskedCardNumber: about(card.id)[0]!.state.maskedCardNumber, status: 'REVOKED' });
    expect(about(instrumentId).map((event) => event.type)).toEqual(['instrument.created', 'instrument.retired']);
    // Never who, why or for whom: reasons, notes, holders and people stay out of every event.
    const states = nodes.filter((node) => [rejected, cancelled, completed, card.id, instrumentId].includes(node.entityId)).map((node) => node.state).join('\n');
    expect(states).not.toMatch(/Maintenance|Plans changed|Used as booked|Left the province|Decommissioned|holder|userId|user_id|purpose/i);
    expect(states).not.toContain(card.cardNumber);
  });

  it('pages from a cursor without repeating or skipping, and refuses unknown types and foreign cursors', async () => {
    const instrumentId = await createInstrument('sichuan');
    const start = await latestCursor();
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push(await book('sichuan', researcher, instrumentId, slots.take()));
    const first = await eventsAfter(partner, start, ['booking.requested']);
    expect(first.nodes.map((node) => node.entityId)).toEqual(ids);
    expect((await eventsAfter(partner, first.endCursor, ['booking.requested'])).nodes).toEqual([]);

    const unknown = await gateway(EVENTS, { token: partner, variables: { types: ['booking.exploded'] } });
    expect(onlyError(unknown.body).extensions?.code).toBe('BAD_USER_INPUT');
    expect(onlyError(unknown.body).message).toMatch(/booking\.exploded.*Known types: booking\.requested/);
    const badCursor = await gateway(EVENTS, { token: partner, variables: { after: 'not-a-cursor' } });
    expect(onlyError(badCursor.body).extensions?.code).toBe('BAD_USER_INPUT');
    const anonymous = await gateway(EVENTS, {});
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('webhooks', () => {
  it('delivers one signed event the receiver verifies, again after it failed twice', async () => {
    const { id, secret } = await subscribe(['booking.confirmed']);
    try {
      const instrumentId = await createInstrument('sichuan');
      const bookingId = await book('sichuan', researcher, instrumentId, slots.take());
      receiver.answerNext(500, 500);
      await confirm('sichuan', bookingId);
      const attempts = await until('three attempts at the confirmed event', () => deliveriesOf('booking.confirmed', bookingId).length >= 3 && deliveriesOf('booking.confirmed', bookingId));
      expect(attempts.map((a) => a.answer)).toEqual([500, 500, 204]);
      // One event: every attempt carries the same id and body, each signed so the receiver can verify it.
      expect(new Set(attempts.map((a) => a.headers['shuangcheng-event-id'])).size).toBe(1);
      for (const attempt of attempts) {
        expect(verifyWebhookSignature(secret, attempt.body, String(attempt.headers['shuangcheng-signature']), Math.floor(Date.now() / 1000))).toBe(true);
        expect(verifyWebhookSignature('whsec_wrong', attempt.body, String(attempt.headers['shuangcheng-signature']), Math.floor(Date.now() / 1000))).toBe(false);
      }
      const event = JSON.parse(attempts[0]!.body);
      expect(event).toMatchObject({ id: attempts[0]!.headers['shuangcheng-event-id'], type: 'booking.confirmed', province: 'SICHUAN', entityId: bookingId, state: { status: 'CONFIRMED' } });
      // A tampered body fails verification.
      expect(verifyWebhookSignature(secret, attempts[0]!.body.replace('CONFIRMED', 'REJECTED'), String(attempts[0]!.headers['shuangcheng-signature']), Math.floor(Date.now() / 1000))).toBe(false);
      const seen = await until('the delivery recorded as delivered', async () => {
        const { body } = await gateway(DELIVERIES, { token: partner, variables: { state: 'DELIVERED' } });
        return body.data.sichuan.webhookSubscriptions.find((s: { id: string }) => s.id === id)?.deliveries.edges.find((e: any) => e.node.eventId === event.id)?.node;
      });
      expect(seen).toMatchObject({ state: 'DELIVERED', attempts: 3, lastStatus: 204 });
    } finally {
      await unsubscribe(id);
    }
  });

  it('counts a redirect and a receiver that never answers as failures, follows no redirect, and keeps trying', async () => {
    const { id } = await subscribe(['booking.requested']);
    try {
      const instrumentId = await createInstrument('sichuan');
      receiver.answerNext({ redirectTo: `${receiver.url}/elsewhere` }, 'never');
      const bookingId = await book('sichuan', researcher, instrumentId, slots.take());
      const attempts = await until('the third attempt', () => deliveriesOf('booking.requested', bookingId).length >= 3 && deliveriesOf('booking.requested', bookingId));
      expect(attempts.map((a) => a.answer)).toEqual([{ redirectTo: `${receiver.url}/elsewhere` }, 'never', 204]);
      // The redirect's target was never asked.
      expect(receiver.received.filter((r) => r.headers['shuangcheng-event-type'] === 'booking.requested').every((r) => r.answer !== undefined)).toBe(true);
      // The receiver has answered; the worker records the outcome a moment later.
      const rows = await until('the delivery recorded', async () => {
        const found = await sql('sichuan', `SELECT d.state, d.attempts FROM webhook_deliveries d JOIN events e ON e.sequence = d.event_sequence WHERE e.entity_id = $1`, [bookingId]);
        return found.every((row) => row.state !== 'PENDING') && found;
      });
      expect(rows).toEqual([{ state: 'DELIVERED', attempts: 3 }]);
    } finally {
      await unsubscribe(id);
    }
  });

  it('answers the API while the receiver holds deliveries open: no request waits for a receiver', async () => {
    const { id } = await subscribe(['booking.requested']);
    try {
      const instrumentId = await createInstrument('sichuan');
      receiver.answerNext(...Array.from({ length: 50 }, (): ReceiverAnswer => 'never'));
      const heldWhenAnswered: number[] = [];
      for (let booking = 0; booking < 6; booking += 1) {
        await book('sichuan', researcher, instrumentId, slots.take());
        heldWhenAnswered.push(receiver.holding());
      }
      // Were a booking's answer to wait for its delivery, every hold would have ended (timed out) before it.
      expect(Math.max(...heldWhenAnswered)).toBeGreaterThan(0);
    } finally {
      receiver.clearAnswers();
      await unsubscribe(id);
    }
  });

  it('delivers the events of one entity in order, even when the first needed retries', async () => {
    const { id } = await subscribe(['booking.requested', 'booking.confirmed', 'booking.cancelled']);
    try {
      const instrumentId = await createInstrument('sichuan');
      receiver.answerNext(503, 503);
      const bookingId = await book('sichuan', researcher, instrumentId, slots.take());
      await confirm('sichuan', bookingId);
      const { body } = await gateway('mutation Cancel($id: ID!) { cancelSichuanBooking(bookingId: $id) { status } }', { token: researcher, variables: { id: bookingId } });
      expect(body.errors).toBeUndefined();
      const delivered = await until('all three events delivered', () => {
        const ok = receiver.received.filter((r) => r.answer === 204 && JSON.parse(r.body).entityId === bookingId);
        return ok.length >= 3 && ok;
      });
      expect(delivered.map((r) => r.headers['shuangcheng-event-type'])).toEqual(['booking.requested', 'booking.confirmed', 'booking.cancelled']);
      const sequences = delivered.map((r) => BigInt(JSON.parse(r.body).sequence));
      expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
    } finally {
      await unsubscribe(id);
    }
  });

  it('keeps the events of a paused subscription and delivers them when it is resumed', async () => {
    const { id } = await subscribe(['booking.cancelled']);
    try {
      const pause = (active: boolean) =>
        gateway('mutation Pause($id: ID!, $active: Boolean!) { updateSichuanWebhookSubscription(id: $id, input: { active: $active }) { active } }', { token: partner, variables: { id, active } });
      expect((await pause(false)).body.data.updateSichuanWebhookSubscription.active).toBe(false);
      const instrumentId = await createInstrument('sichuan');
      const bookingId = await book('sichuan', researcher, instrumentId, slots.take());
      const { body } = await gateway('mutation Cancel($id: ID!) { cancelSichuanBooking(bookingId: $id) { status } }', { token: researcher, variables: { id: bookingId } });
      expect(body.errors).toBeUndefined();
      expect(await sql('sichuan', `SELECT d.state, d.attempts FROM webhook_deliveries d JOIN events e ON e.sequence = d.event_sequence WHERE d.subscription_id = $1 AND e.entity_id = $2`, [id, bookingId]))
        .toEqual([{ state: 'PENDING', attempts: 0 }]);
      await pause(true);
      const delivered = await until('the paused event after the resume', () => deliveriesOf('booking.cancelled', bookingId)[0]);
      expect(delivered.answer).toBe(204);
    } finally {
      await unsubscribe(id);
    }
  });

  it('gives up after the last attempt, shows the dead delivery to its client, and replays it from a point in time', async () => {
    const { id } = await subscribe(['booking.rejected']);
    try {
      const instrumentId = await createInstrument('sichuan');
      const bookingId = await book('sichuan', researcher, instrumentId, slots.take());
      const since = new Date(Date.now() - 1000).toISOString();
      receiver.answerNext(500, 500, 500, 500);
      const { body } = await gateway('mutation Reject($id: ID!) { rejectSichuanBooking(bookingId: $id, reason: "Calibration day") { status } }', { token: admin, variables: { id: bookingId } });
      expect(body.errors).toBeUndefined();
      const dead = await until('the delivery dead after 4 attempts', async () => {
        const { body: seen } = await gateway(DELIVERIES, { token: partner, variables: { state: 'DEAD' } });
        return seen.data.sichuan.webhookSubscriptions.find((s: { id: string }) => s.id === id)?.deliveries.edges[0]?.node;
      });
      expect(dead).toMatchObject({ eventType: 'booking.rejected', state: 'DEAD', attempts: 4, lastStatus: 500, lastError: 'HTTP 500' });
      expect(deliveriesOf('booking.rejected', bookingId)).toHaveLength(4);

      // The client replays its own subscription from a point in time; the receiver now answers.
      const replay = await gateway('mutation Replay($id: ID!, $from: DateTime!) { replaySichuanWebhookDeliveries(id: $id, from: $from) }', { token: partner, variables: { id, from: since } });
      expect(replay.body.errors).toBeUndefined();
      expect(replay.body.data.replaySichuanWebhookDeliveries).toBe(1);
      const again = await until('the replayed delivery', () => deliveriesOf('booking.rejected', bookingId).find((r) => r.answer === 204));
      expect(again.headers['shuangcheng-event-id']).toBe(deliveriesOf('booking.rejected', bookingId)[0]!.headers['shuangcheng-event-id']);
    } finally {
      await unsubscribe(id);
    }
  });
});

describe('service request events', () => {
  /** A fresh offering of Sichuan's, on an instrument of its own, quoted per request. */
  async function offering(): Promise<string> {
    const { body } = await gateway('mutation($input: OfferingInput!) { created: createSichuanOffering(input: $input) { id } }', {
      token: admin,
      variables: {
        input: {
          instrumentId: await createInstrument('sichuan'), kind: 'SAMPLE_TESTING', name: 'Webhook test run', nameZh: '回调测试', turnaroundDays: 5,
          sampleForm: [{ name: 'alloy', label: 'Alloy', type: 'TEXT' }],
          prices: ['OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL'].map((category) => ({ category, amountFen: 40_000 })),
        },
      },
    });
    expect(body.errors).toBeUndefined();
    return body.data.created.id;
  }
  /** Each step of a service request, as the party it belongs to (the requester accepts or declines, staff do the rest). */
  const STEPS = {
    submit: ['submitSichuanServiceRequest(input: { offeringId: $id, formValues: [{ name: "alloy", value: "Ti-6Al-4V" }], sampleCount: 2, neededBy: $until, description: "Two samples of a secret alloy", idempotencyKey: $key })', 'researcher'],
    quote: ['quoteSichuanServiceRequest(id: $id, amountFen: 123450, validUntil: $until)', 'admin'],
    accept: ['acceptSichuanServiceQuote(id: $id)', 'researcher'],
    decline: ['declineSichuanServiceQuote(id: $id, reason: "Over our budget")', 'researcher'],
    receive: ['receiveSichuanSamples(id: $id, note: "Two vials")', 'admin'],
    start: ['startSichuanServiceRequest(id: $id)', 'admin'],
  } as const;
  async function step(action: keyof typeof STEPS, id: string): Promise<{ id: string; status: string }> {
    const [call, who] = STEPS[action];
    const variables = { id, ...(call.includes('$until') ? { until: localTime(20, 12) } : {}), ...(call.includes('$key') ? { key: newKey() } : {}) };
    const declared = Object.keys(variables).map((name) => `$${name}: ${name === 'until' ? 'DateTime!' : name === 'key' ? 'String!' : 'ID!'}`).join(', ');
    const { body } = await gateway(`mutation(${declared}) { result: ${call} { id status } }`, { token: who === 'admin' ? admin : researcher, variables });
    expect(body.errors).toBeUndefined();
    return body.data.result;
  }

  it('delivers accepted, declined and in_progress to a subscribed receiver, signed, with ids and the status only', async () => {
    const types = ['serviceRequest.accepted', 'serviceRequest.declined', 'serviceRequest.in_progress'];
    const client = await createPartnerClient(['usage:record:sichuan'], { grants: { sichuan: ['usage:record:sichuan'] } });
    const { id: subscriptionId, secret } = await subscribe(types, receiver.url, client.clientId);
    try {
      const offeringId = await offering();
      const worked = (await step('submit', offeringId)).id;
      const declined = (await step('submit', offeringId)).id;
      for (const action of ['quote', 'accept', 'receive', 'start'] as const) await step(action, worked);
      for (const action of ['quote', 'decline'] as const) await step(action, declined);

      const expected = [
        { entityId: worked, type: 'serviceRequest.accepted', status: 'ACCEPTED' },
        { entityId: worked, type: 'serviceRequest.in_progress', status: 'IN_PROGRESS' },
        { entityId: declined, type: 'serviceRequest.declined', status: 'DECLINED' },
      ];
      const received = await until('the three events at the receiver', () => {
        const mine = receiver.received.filter((r) => [worked, declined].includes(JSON.parse(r.body).entityId));
        return mine.length >= expected.length && mine;
      });
      // Only the subscribed types: submitted, quoted and samples_received are not sent to this subscription.
      expect(received.map((r) => r.headers['shuangcheng-event-type']).sort()).toEqual(expected.map((e) => e.type).sort());
      const now = Math.floor(Date.now() / 1000);
      for (const { entityId, type, status } of expected) {
        const delivery = received.find((r) => r.headers['shuangcheng-event-type'] === type && JSON.parse(r.body).entityId === entityId)!;
        expect(verifyWebhookSignature(secret, delivery.body, String(delivery.headers['shuangcheng-signature']), now)).toBe(true);
        expect(verifyWebhookSignature('whsec_wrong', delivery.body, String(delivery.headers['shuangcheng-signature']), now)).toBe(false);
        const event = JSON.parse(delivery.body);
        // The documented body, exactly: no requester, description, notes or amounts.
        expect(event).toEqual({
          id: delivery.headers['shuangcheng-event-id'], sequence: expect.any(String), type, province: 'SICHUAN', entityType: 'servicerequest', entityId,
          occurredAt: expect.any(String), state: { status, offeringId },
        });
        expect(delivery.headers['shuangcheng-delivery-attempt']).toBe('1');
        expect(delivery.body).not.toMatch(/alloy|Ti-6Al|budget|vials|123450|Chen/i);
        const [stored] = await sql('sichuan', 'SELECT id, sequence::text AS sequence FROM events WHERE entity_id = $1 AND type = $2', [entityId, type]);
        expect({ id: event.id, sequence: event.sequence }).toEqual(stored);
      }
    } finally {
      await unsubscribe(subscriptionId);
    }
  });
});

describe('what Sichuan grants the subscriber', () => {
  it('refuses a subscription to events the client may not read here, naming the scope to grant first', async () => {
    const client = await createPartnerClient(['catalog:read'], { grants: { sichuan: ['catalog:read'] } });
    const input = { clientId: client.clientId, url: receiver.url, eventTypes: ['booking.confirmed', 'serviceRequest.quoted', 'charge.created'] };
    const refused = onlyError((await gateway(SUBSCRIBE, { token: admin, variables: { input } })).body);
    expect(refused.extensions).toMatchObject({ code: 'FORBIDDEN', argument: 'input.eventTypes', missingScopes: ['usage:record:sichuan'] });
    expect(refused.message).toContain('serviceRequest.quoted, charge.created');
    expect(refused.message).toContain('grantSichuanClientScopes');
    const ungranted = await createPartnerClient(['catalog:read']);
    const none = onlyError((await gateway(SUBSCRIBE, { token: admin, variables: { input: { ...input, clientId: ungranted.clientId, eventTypes: ['booking.confirmed'] } } })).body);
    expect(none.extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['catalog:read'] });
    expect(await sql('sichuan', 'SELECT id FROM webhook_subscriptions WHERE client_id = ANY ($1)', [[client.clientId, ungranted.clientId]])).toEqual([]);
  });

  it('sends nothing once Sichuan takes the grant away: the delivery is dead and says why', async () => {
    const client = await createPartnerClient(['catalog:read'], { grants: { sichuan: ['catalog:read'] } });
    const { id } = await subscribe(['booking.requested'], receiver.url, client.clientId);
    const revoked = await gateway('mutation($id: String!) { revokeSichuanClientGrant(clientId: $id) }', { token: admin, variables: { id: client.clientId } });
    expect(revoked.body).toEqual({ data: { revokeSichuanClientGrant: true } });
    const bookingId = await book('sichuan', researcher, await createInstrument('sichuan'), slots.take());
    const dead = await until('the delivery given up', async () => {
      const [row] = await sql('sichuan', 'SELECT d.state, d.attempts, d.last_error FROM webhook_deliveries d JOIN events e ON e.sequence = d.event_sequence WHERE d.subscription_id = $1 AND e.entity_id = $2', [id, bookingId]);
      return row?.state === 'DEAD' ? row : undefined;
    });
    expect(dead).toEqual({ state: 'DEAD', attempts: 1, last_error: `Sichuan no longer grants ${client.clientId} catalog:read, which reading booking.requested needs.` });
    expect(deliveriesOf('booking.requested', bookingId)).toEqual([]);
  });
});

describe('webhook subscriptions', () => {
  const create = (token: string, input: Record<string, unknown>) =>
    gateway(SUBSCRIBE, { token, variables: { input: { clientId: DEMO_PARTNER_CLIENT.clientId, url: 'https://partner.example/hooks', eventTypes: ['booking.confirmed'], ...input } } });

  it('refuses unknown event types, URLs that are not http(s) or carry credentials, and anyone but the province\'s admins', async () => {
    const unknownType = onlyError((await create(admin, { eventTypes: ['booking.exploded'] })).body);
    expect(unknownType.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknownType.message).toMatch(/input\.eventTypes: unknown event type\(s\) booking\.exploded/);
    for (const url of ['ftp://partner.example/hooks', 'not a url', 'https://user:pass@partner.example/hooks', `https://partner.example/${'x'.repeat(2100)}`]) {
      const refused = onlyError((await create(admin, { url })).body);
      expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.message).toMatch(/^input\.url: /);
    }
    expect(onlyError((await create(partner, {})).body).extensions?.code).toBe('FORBIDDEN');
    expect(onlyError((await create(await tokenFor('cq.admin'), {})).body).extensions?.code).toBe('FORBIDDEN');
    expect(await sql('sichuan', "SELECT count(*)::int AS n FROM webhook_subscriptions WHERE url LIKE '%partner.example%'")).toEqual([{ n: 0 }]);
  });

  it('refuses oversized subscriptions with a short message that does not echo them, and writes nothing', async () => {
    const huge = 'x'.repeat(100_000);
    const oversized: [string, Record<string, unknown>, RegExp][] = [
      ['a 100 000-character event type', { eventTypes: [huge] }, /^input\.eventTypes\.0: an event type has at most \d+ characters/],
      ['10 000 event types', { eventTypes: Array.from({ length: 10_000 }, () => 'booking.confirmed') }, /^input\.eventTypes: at most \d+ event types/],
      ['20 unknown event types', { eventTypes: Array.from({ length: 20 }, (_, i) => `made.up${i}`) }, /unknown event type\(s\) made\.up0, made\.up1, made\.up2, made\.up3, made\.up4 and 15 more/],
      ['a 100 000-character description', { description: huge }, /^input\.description: /],
      ['a 100 000-character URL', { url: `https://partner.example/${huge}` }, /^input\.url: must be at most 2048 characters/],
    ];
    for (const [what, input, message] of oversized) {
      const refused = onlyError((await create(admin, { ...input, url: input['url'] ?? 'https://oversized.example/hooks' })).body);
      expect({ what, code: refused.extensions?.code }).toEqual({ what, code: 'BAD_USER_INPUT' });
      expect(refused.message).toMatch(message);
      expect(refused.message.length).toBeLessThan(2_000);
    }
    expect(await sql('sichuan', "SELECT count(*)::int AS n FROM webhook_subscriptions WHERE url LIKE '%oversized.example%' OR url LIKE '%xxxxxxxx%'")).toEqual([{ n: 0 }]);
  });

  it('shows the secret once; the client manages its own subscriptions and no one else\'s', async () => {
    const { body } = await create(admin, {});
    const { id } = body.data.created.subscription;
    expect(body.data.created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await gateway('query Mine { sichuan { webhookSubscriptions { id url eventTypes } } }', { token: partner });
    expect(listed.body.data.sichuan.webhookSubscriptions).toContainEqual({ id, url: 'https://partner.example/hooks', eventTypes: ['booking.confirmed'] });
    const paused = await gateway('mutation Pause($id: ID!) { updateSichuanWebhookSubscription(id: $id, input: { active: false, eventTypes: ["booking.confirmed", "instrument.retired"] }) { active eventTypes } }', { token: partner, variables: { id } });
    expect(paused.body.data.updateSichuanWebhookSubscription).toEqual({ active: false, eventTypes: ['booking.confirmed', 'instrument.retired'] });
    // A researcher is no client: no subscription of theirs, and this one is not theirs to change.
    const stranger = await gateway('mutation Pause($id: ID!) { updateSichuanWebhookSubscription(id: $id, input: { active: true }) { active } }', { token: researcher, variables: { id } });
    expect(onlyError(stranger.body).extensions?.code).toBe('FORBIDDEN');
    expect(onlyError((await gateway('query Mine { sichuan { webhookSubscriptions { id } } }', { token: researcher })).body).extensions?.code).toBe('FORBIDDEN');
    const deleted = await gateway('mutation Delete($id: ID!) { deleteSichuanWebhookSubscription(id: $id) }', { token: partner, variables: { id } });
    expect(deleted.body.data.deleteSichuanWebhookSubscription).toBe(true);
    expect(await sql('sichuan', 'SELECT count(*)::int AS n FROM webhook_subscriptions WHERE id = $1', [id])).toEqual([{ n: 0 }]);
  });
});

