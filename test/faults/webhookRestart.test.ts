import { startWebhookReceiver, type WebhookReceiver } from '../../shared/src/testing/webhookReceiver';
import { DEMO_PARTNER_CLIENT } from '../support/demoData';
import { startPrivateSystem, type PrivateSystem } from '../support/privateSystem/startPrivateSystem';
import { localTime } from '../support/registryFixtures';
import { graphql } from '../support/system';
import { until } from '../support/until';

/**
 * A province killed in the middle of a webhook delivery loses no event: the outbox row and its
 * delivery were committed with the change, the delivery was only leased, and the restarted
 * process sends it (and the next event about the same booking, in order) once the lease ends.
 */
let system: PrivateSystem;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  system = await startPrivateSystem({
    RATE_LIMIT_PER_MINUTE: '0',
    // A lease of about seven seconds (timeout + 5 s), so the restarted province takes the delivery over within the test.
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_POLL_MS: '200',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_MAX_MS: '1000',
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.close();
}, 60_000);

async function call(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const { body } = await graphql(system.description.gatewayUrl, query, { variables, ...(token ? { token } : {}) });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const login = async (username: string) =>
  (await call('mutation($u: String!) { login(username: $u, password: "shuangcheng-demo") { token } }', { u: username })).login.token as string;

it('delivers what was in flight when the province was killed, after it restarts, in order', async () => {
  const admin = await login('sc.admin');
  const researcher = await login('chen.jing');
  await call(
    `mutation($input: WebhookSubscriptionInput!) { createSichuanWebhookSubscription(input: $input) { secret } }`,
    { input: { clientId: DEMO_PARTNER_CLIENT.clientId, url: receiver.url, eventTypes: ['booking.requested', 'booking.confirmed'] } },
    admin,
  );
  const instrumentId = (await call('{ sichuan { instruments(first: 1, filter: { bookableOnly: true }) { edges { node { id } } } } }')).sichuan.instruments.edges[0].node.id;
  const instrument = (await call(`query($id: ID!) { sichuan { instrument(id: $id) { openFromHour } } }`, { id: instrumentId })).sichuan.instrument;

  // The receiver holds the first delivery open: the province is killed while it waits for the answer.
  receiver.answerNext('never');
  const booking = (await call(
    `mutation($i: ID!, $s: DateTime!, $e: DateTime!) { b: bookSichuanInstrument(instrumentId: $i, start: $s, end: $e, purpose: "Restart mid-delivery", idempotencyKey: "restart-mid-delivery-1") { id } }`,
    { i: instrumentId, s: localTime(40, instrument.openFromHour), e: localTime(40, instrument.openFromHour + 1) },
    researcher,
  )).b.id as string;
  await until('the first delivery in flight', () => receiver.received.length === 1);
  // A second event about the same booking, committed while the first is in flight: it waits behind it.
  await call('mutation($id: ID!) { confirmSichuanBooking(bookingId: $id) { status } }', { id: booking }, admin);

  process.kill(system.pids()['sichuan']!, 'SIGKILL');
  await until('sichuan restarted', async () => {
    await system.startService('sichuan');
    return true;
  }, 60_000);

  const delivered = await until('both events delivered after the restart', () => {
    const ok = receiver.received.filter((r) => r.answer === 204);
    return ok.length >= 2 && ok;
  }, 60_000);
  expect(delivered.map((r) => r.headers['shuangcheng-event-type'])).toEqual(['booking.requested', 'booking.confirmed']);
  // The first event came again with the id it had before the kill: the receiver can tell it is the same one.
  expect(delivered[0]!.headers['shuangcheng-event-id']).toBe(receiver.received[0]!.headers['shuangcheng-event-id']);
  expect(delivered.every((r) => JSON.parse(r.body).entityId === booking)).toBe(true);
}, 180_000);
