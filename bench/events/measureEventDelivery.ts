import { startWebhookReceiver } from '../../shared/src/testing/webhookReceiver';
import type { BookableInstrument } from '../scenarios/createScenarios';
import { login } from '../scenarios/loadInputs';

export interface EventDeliveryResult {
  /** Events whose delivery latency was measured, one booking request at a time. */
  readonly latencyEvents: number;
  /** From the booking's answer to the receiver getting its event, in ms. */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  /** Events queued while the subscription was paused, then drained. */
  readonly backlogEvents: number;
  /** From resuming the subscription to the last of the backlog received. */
  readonly drainSeconds: number;
  readonly eventsPerSecond: number;
  /** Deliveries the receiver got more than once (at least once: should be 0 on a healthy run). */
  readonly duplicates: number;
}

const BOOK = `mutation BenchEventBooking($i: ID!, $s: DateTime!, $e: DateTime!, $k: String!) {
  bookChongqingInstrument(instrumentId: $i, start: $s, end: $e, purpose: "Benchmark event delivery", idempotencyKey: $k) { id }
}`;

/**
 * Webhook delivery at bench scale: a receiver in the bench process subscribed (as the demo partner)
 * to Chongqing's `booking.requested`; (1) latency: booking requests one after another, each timed
 * from its answer to its event reaching the receiver; (2) throughput: the subscription paused, a
 * backlog of booking requests made, the subscription resumed, and the backlog timed until the
 * receiver has every event. Each province's worker runs with its defaults (8 deliveries at once).
 */
export async function measureEventDelivery(
  gatewayUrl: string,
  bookable: readonly BookableInstrument[],
  options: { readonly latencyEvents: number; readonly backlogEvents: number; readonly firstDay: number; readonly runId: string },
): Promise<EventDeliveryResult> {
  const receiver = await startWebhookReceiver();
  const admin = await login(gatewayUrl, 'cq.admin');
  const researcher = await login(gatewayUrl, 'li.wei');
  const call = async (query: string, variables: Record<string, unknown>, token: string) => {
    const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`${query.slice(0, 60)}…: ${body.errors[0]!.message}`);
    return body.data;
  };
  const subscription = (await call(
    `mutation BenchSubscribe($input: WebhookSubscriptionInput!) { createChongqingWebhookSubscription(input: $input) { subscription { id } } }`,
    { input: { clientId: 'demo-partner', url: receiver.url, eventTypes: ['booking.requested'], description: `bench ${options.runId}` } },
    admin,
  )).createChongqingWebhookSubscription.subscription.id as string;
  const setActive = (active: boolean) =>
    call('mutation BenchPause($id: ID!, $active: Boolean!) { updateChongqingWebhookSubscription(id: $id, input: { active: $active }) { active } }', { id: subscription, active }, admin);

  let n = 0;
  const bookOne = async (): Promise<string> => {
    const instrument = bookable[n % bookable.length]!;
    const day = options.firstDay + Math.floor(n / bookable.length);
    n += 1;
    const localMidnight = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 8 * 3_600_000;
    const start = localMidnight + day * 86_400_000 + instrument.openFromHour * 3_600_000;
    const data = await call(BOOK, { i: instrument.id, s: new Date(start).toISOString(), e: new Date(start + 3_600_000).toISOString(), k: `bench-events-${options.runId}-${n}` }, researcher);
    return data.bookChongqingInstrument.id as string;
  };
  const arrivals = new Map<string, number>();
  const arrivalOf = (bookingId: string) => {
    for (let i = arrivals.size; i < receiver.received.length; i += 1) {
      const delivery = receiver.received[i]!;
      arrivals.set(JSON.parse(delivery.body).entityId as string, delivery.at);
    }
    return arrivals.get(bookingId);
  };
  const waitFor = async (ids: readonly string[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (ids.some((id) => arrivalOf(id) === undefined)) {
      if (Date.now() > deadline) throw new Error(`events not delivered within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  try {
    const latencies: number[] = [];
    for (let i = 0; i < options.latencyEvents; i += 1) {
      const id = await bookOne();
      const answeredAt = Date.now();
      await waitFor([id], 30_000);
      latencies.push(arrivalOf(id)! - answeredAt);
    }
    await setActive(false);
    const backlog: string[] = [];
    // Ten callers at once, as partners would book.
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (backlog.length < options.backlogEvents) {
        const index = backlog.push('') - 1;
        backlog[index] = await bookOne();
      }
    }));
    const resumed = Date.now();
    await setActive(true);
    await waitFor(backlog, 300_000);
    const last = Math.max(...backlog.map((id) => arrivalOf(id)!));
    const drainSeconds = (last - resumed) / 1000;
    const ids = receiver.received.map((delivery) => delivery.headers['shuangcheng-event-id']);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return {
      latencyEvents: latencies.length,
      latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies.at(-1)! },
      backlogEvents: backlog.length,
      drainSeconds,
      eventsPerSecond: backlog.length / drainSeconds,
      duplicates: ids.length - new Set(ids).size,
    };
  } finally {
    await call('mutation BenchUnsubscribe($id: ID!) { deleteChongqingWebhookSubscription(id: $id) }', { id: subscription }, admin).catch(() => undefined);
    await receiver.close();
  }
}

