/**
 * No server-side request forgery through webhooks: a province configured as production configures
 * it (https only, public addresses only) refuses local receivers when a subscription is written, and
 * the worker checks the addresses again when it connects, so a name that resolves elsewhere later
 * (DNS rebinding) reaches nothing.
 */
import type { RunningService } from '../../shared/src';
import { startWebhookReceiver, type WebhookReceiver } from '../../shared/src/testing/webhookReceiver';
import { postWebhook } from '../../subgraphs/province/src/events/delivery/postWebhook';
import { startOwnProvince } from '../support/ownServices';
import { graphql, onlyError, tokenFor } from '../support/system';

let strict: RunningService;
let receiver: WebhookReceiver;

beforeAll(async () => {
  strict = await startOwnProvince('sichuan-strict-webhooks', 'sichuan', { WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false' });
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await strict.close();
  await receiver.close();
});

describe('webhook addresses', () => {
  it.each([
    ['http://partner.example/hooks', /must be an https: URL/],
    ['https://127.0.0.1/hooks', /private, loopback or link-local address \(127\.0\.0\.1\)/],
    ['https://169.254.169.254/latest/meta-data', /private, loopback or link-local address/],
    ['https://[::1]:8443/hooks', /private, loopback or link-local address \(::1\)/],
    ['https://localhost/hooks', /must name a public host/],
  ])('a subscription to %s is refused', async (url, message) => {
    const { body } = await graphql(strict.url, `mutation($input: WebhookSubscriptionInput!) { createSichuanWebhookSubscription(input: $input) { secret } }`, {
      token: await tokenFor('sc.admin'),
      variables: { input: { clientId: 'demo-partner', url, eventTypes: ['booking.confirmed'] } },
    });
    const error = onlyError(body);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it('checks the addresses again at delivery and connects only to the address it checked', async () => {
    const port = new URL(receiver.url).port;
    // A public-looking name that now resolves to this machine, as a rebinding attacker's DNS would answer.
    const rebound = async () => [{ address: '127.0.0.1', family: 4 }];
    const refused = await postWebhook(`http://partner.example:${port}/hooks`, '{}', {}, {
      timeoutMs: 2000, policy: { allowHttp: true, allowPrivateAddresses: false }, resolve: rebound,
    });
    expect(refused).toEqual({ ok: false, status: null, error: 'partner.example resolves to 127.0.0.1, which is not a public address' });
    expect(receiver.received).toHaveLength(0);
    // The same name where local receivers are allowed: the connection goes to the address the lookup answered.
    const delivered = await postWebhook(`http://partner.example:${port}/hooks`, '{}', {}, {
      timeoutMs: 2000, policy: { allowHttp: true, allowPrivateAddresses: true }, resolve: rebound,
    });
    expect(delivered).toEqual({ ok: true, status: 204 });
    expect(receiver.received).toHaveLength(1);
  });
});
