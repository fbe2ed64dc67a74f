import { randomUUID } from 'node:crypto';
import { ClientStatusDirectory, PROVINCES, createLogger } from '../../../../../shared/src';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../../shared/src/testing/webhookReceiver';
import { StatementLog, createOwnDatabase, dropOwnDatabase, testSystem, until } from '../../../../../test/support';
import { ClientGrantRepository } from '../../clientGrants/ClientGrantRepository';
import { ClientGrantService } from '../../clientGrants/ClientGrantService';
import { platformClientStandings } from '../../clientGrants/platformClientStandings';
import { undoThrough } from '../../migrations/__tests__/seededDatabase';
import { UnitOfWork } from '../../persistence/UnitOfWork';
import { createProvinceDataSource } from '../../provinceDataSource';
import { provinceRepositories } from '../../provinceRepositories';
import { DEMO_SEEDS, seedProvince } from '../../seeds';
import { DeliveryWorker, type DeliverySettings } from '../delivery/DeliveryWorker';
import { verifyWebhookSignature } from '../delivery/signWebhook';
import { WebhookSecretBox, parseWebhookSecretKeys, type WebhookSecretKeyring } from '../delivery/webhookSecretKeys';
import { WebhookRepository } from '../WebhookRepository';
import { WebhookService } from '../WebhookService';

/**
 * Webhook signing secrets at rest and the delivery worker's rounds, on a Sichuan database of this file's own (the
 * file's system runs a delivery worker of its own on the system's database, which would take deliveries away).
 * Partner clients' standings come from the file's real platform.
 */
const { sichuan } = PROVINCES;
const NAME = 'webhook_secrets';
const OLD_KEYS = 'k1:first-key-of-this-test-0123456789';
const NEW_KEYS = 'k2:second-key-of-this-test-9876543210';
const SETTINGS: DeliverySettings = {
  policy: { allowHttp: true, allowPrivateAddresses: true }, timeoutMs: 2_000, maxAttempts: 3, retryBaseMs: 200, retryMaxMs: 500, concurrency: 20, pollMs: 100,
};
const log = new StatementLog();
const logger = createLogger('webhook-secrets', 'silent');
let dataSource: ReturnType<typeof createProvinceDataSource>;
let receiver: WebhookReceiver;
let clientGrants: ClientGrantService;

const keyring = (value: string) => parseWebhookSecretKeys(value) as WebhookSecretKeyring;

function webhookService(keys: string): WebhookService {
  const unitOfWork = new UnitOfWork(dataSource, provinceRepositories);
  return new WebhookService(sichuan, new WebhookRepository(dataSource.manager), unitOfWork, SETTINGS.policy, (id) => clientGrants.entitlement(id), new WebhookSecretBox(keyring(keys)));
}

function worker(keys: string): DeliveryWorker {
  return new DeliveryWorker(sichuan, new WebhookRepository(dataSource.manager), SETTINGS, logger, (ids) => clientGrants.entitlements(ids), new WebhookSecretBox(keyring(keys)));
}

const storedSecrets = (): Promise<{ id: string; secret: string | null; secret_key_id: string | null; secret_sealed: string | null }[]> =>
  dataSource.query('SELECT id, secret, secret_key_id, secret_sealed FROM webhook_subscriptions ORDER BY id');

/** A subscription stored as the province stored them before sealing: its secret in plain text. */
async function plainSubscription(clientId: string, secret: string): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO webhook_subscriptions (id, client_id, url, event_types, secret, created_by) VALUES ($1, $2, $3, ARRAY['booking.confirmed'], $4, 'test')`,
    [id, clientId, receiver.url, secret],
  );
  return id;
}

/** An event of the outbox with one delivery for every subscription, as a change's unit of work writes them. */
async function publish(): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `WITH written AS (
       INSERT INTO events (sequence, id, type, entity_type, entity_id, occurred_at, state)
       VALUES (nextval('event_sequence'), $1, 'booking.confirmed', 'booking', $2, now(), '{"status":"CONFIRMED"}') RETURNING sequence, entity_id)
     INSERT INTO webhook_deliveries (subscription_id, event_sequence, entity_id) SELECT s.id, w.sequence, w.entity_id FROM written w, webhook_subscriptions s`,
    [id, `sc:booking:${randomUUID()}`],
  );
  return id;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  dataSource = createProvinceDataSource(sichuan, await createOwnDatabase(NAME), 2);
  await dataSource.initialize();
  await dataSource.runMigrations();
  await seedProvince(dataSource, DEMO_SEEDS.sichuan);
  dataSource.setOptions({ logging: ['query'], logger: log });
  const system = testSystem();
  const standings = new ClientStatusDirectory({
    load: platformClientStandings({ url: system.subgraphUrls.platform, gatewaySecret: system.gatewaySecret }), maxAgeMs: 60_000, maxStaleMs: 60_000,
  });
  clientGrants = new ClientGrantService(sichuan, new ClientGrantRepository(dataSource.manager), new UnitOfWork(dataSource, provinceRepositories), standings);
}, 120_000);

afterAll(async () => {
  await receiver.close();
  await dataSource.destroy();
  await dropOwnDatabase(NAME);
}, 60_000);

afterEach(async () => {
  await dataSource.query('DELETE FROM webhook_subscriptions');
  receiver.received.length = 0;
});

describe('webhook signing secrets at rest', () => {
  it('are stored sealed, never in plain text, and sign deliveries the subscriber verifies with the secret it was shown once', async () => {
    const webhooks = webhookService(OLD_KEYS);
    const admin = { subject: 'user:admin', displayName: 'Admin', province: 'sichuan' } as never;
    const created = await webhooks.create(admin, { clientId: 'demo-partner', url: receiver.url, eventTypes: ['booking.confirmed'] });
    const rotated = await webhooks.rotateSecret({ kind: 'client', subject: 'client:demo-partner', scopes: [], roles: [] } as never, created.subscription.id);
    const [row] = await storedSecrets();
    expect(row).toEqual({ id: created.subscription.id, secret: null, secret_key_id: 'k1', secret_sealed: expect.any(String) });
    expect(JSON.stringify(await dataSource.query('SELECT * FROM webhook_subscriptions'))).not.toContain(rotated.secret.slice(6));
    // The subscription as read for its API never carries the secret, in either form.
    const [listed] = await webhooks.list({ kind: 'client', subject: 'client:demo-partner', scopes: [], roles: [] } as never, null);
    expect([listed!.secret, listed!.secretKeyId, listed!.secretSealed]).toEqual([undefined, undefined, undefined]);

    const deliveries = worker(OLD_KEYS);
    deliveries.start();
    try {
      const eventId = await publish();
      const [delivery] = await until('the delivery', () => receiver.received.length === 1 && receiver.received);
      expect(delivery!.headers['shuangcheng-event-id']).toBe(eventId);
      expect(verifyWebhookSignature(rotated.secret, delivery!.body, String(delivery!.headers['shuangcheng-signature']), Math.floor(Date.now() / 1000))).toBe(true);
    } finally {
      await deliveries.stop();
    }
  });

  it('stored plain before sealing are sealed at start, and sealed again with the new key after a rotation', async () => {
    const legacy = await plainSubscription('demo-partner', 'whsec_from_before_sealing');
    const earlier = await webhookService(OLD_KEYS).create({ subject: 'user:admin' } as never, { clientId: 'demo-dashboard', url: receiver.url, eventTypes: ['booking.confirmed'] });

    // Started with the old key: the plain secret is sealed, the sealed one left as it is.
    expect(await webhookService(OLD_KEYS).sealStoredSecrets()).toEqual({ sealed: 1, unopened: [] });
    expect((await storedSecrets()).map((row) => [row.secret, row.secret_key_id])).toEqual([[null, 'k1'], [null, 'k1']]);

    // A new key first, the old one after it: every secret is sealed with the new one.
    expect(await webhookService(`${NEW_KEYS},${OLD_KEYS}`).sealStoredSecrets()).toEqual({ sealed: 2, unopened: [] });
    expect((await storedSecrets()).map((row) => row.secret_key_id)).toEqual(['k2', 'k2']);
    // Once all are sealed with it, the old key can go: deliveries sign with the secrets each subscriber knows.
    const deliveries = worker(NEW_KEYS);
    deliveries.start();
    try {
      await publish();
      const received = await until('both deliveries', () => receiver.received.length === 2 && receiver.received);
      const secretOf = new Map([[legacy, 'whsec_from_before_sealing'], [earlier.subscription.id, earlier.secret]]);
      const now = Math.floor(Date.now() / 1000);
      for (const [id, secret] of secretOf) {
        const verified = received.filter((r) => verifyWebhookSignature(secret, r.body, String(r.headers['shuangcheng-signature']), now));
        expect({ id, verified: verified.length }).toEqual({ id, verified: 1 });
      }
    } finally {
      await deliveries.stop();
    }

    // A process given only a key that sealed nothing leaves the secrets as they are, and says which.
    const stranded = await webhookService('k3:a-third-key-nobody-sealed-with').sealStoredSecrets();
    expect(stranded.sealed).toBe(0);
    expect([...stranded.unopened].sort()).toEqual([legacy, earlier.subscription.id].sort());
  });

  it('of a key the process does not hold fail the attempt with the reason, to be retried, never sent unsigned', async () => {
    await webhookService(NEW_KEYS).create({ subject: 'user:admin' } as never, { clientId: 'demo-partner', url: receiver.url, eventTypes: ['booking.confirmed'] });
    const deliveries = worker(OLD_KEYS);
    deliveries.start();
    try {
      await publish();
      const [failed] = await until('the failed attempt', async () => {
        const rows: { state: string; last_error: string | null }[] = await dataSource.query('SELECT state, last_error FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id');
        return rows[0]?.last_error ? rows : false;
      });
      expect(failed!.last_error).toMatch(/sealed with key k2, which WEBHOOK_SECRET_KEYS of this process does not hold/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await deliveries.stop();
    }
  });
});

describe('a round of webhook deliveries', () => {
  it("reads its clients' grants with one query, however many deliveries and clients it holds", async () => {
    const webhooks = webhookService(OLD_KEYS);
    const clients = ['demo-partner', 'demo-partner', 'demo-partner', 'demo-dashboard', 'demo-portal', 'demo-hospital'];
    for (const clientId of clients.filter((clientId) => clientId !== 'demo-hospital')) {
      await webhooks.create({ subject: 'user:admin' } as never, { clientId, url: receiver.url, eventTypes: ['booking.confirmed'] });
    }
    // Sichuan does not grant demo-hospital catalog:read (any more): its delivery is refused, in the same round.
    await plainSubscription('demo-hospital', 'whsec_hospital');
    const deliveries = worker(OLD_KEYS);
    log.statements = [];
    deliveries.start();
    try {
      await publish();
      await until('every delivery settled', async () => {
        const [{ pending }] = await dataSource.query("SELECT count(*)::int AS pending FROM webhook_deliveries WHERE state = 'PENDING'");
        return pending === 0;
      });
    } finally {
      await deliveries.stop();
    }
    expect(receiver.received).toHaveLength(5);
    const dead: { client_id: string; last_error: string }[] = await dataSource.query(
      "SELECT s.client_id, d.last_error FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.state = 'DEAD'",
    );
    expect(dead).toEqual([{ client_id: 'demo-hospital', last_error: expect.stringContaining('no longer grants demo-hospital catalog:read') }]);
    expect(log.reading('client_grants')).toBe(1);
  });
});

describe('SealWebhookSecrets', () => {
  it('goes down only while no secret is sealed, keeping the plain ones, and up again', async () => {
    await webhookService(OLD_KEYS).create({ subject: 'user:admin' } as never, { clientId: 'demo-partner', url: receiver.url, eventTypes: ['booking.confirmed'] });
    await expect(undoThrough(dataSource, 'SealWebhookSecrets1796425000000')).rejects.toThrow('1 webhook signing secret(s) are sealed');
    await dataSource.query('DELETE FROM webhook_subscriptions');
    const legacy = await plainSubscription('demo-partner', 'whsec_kept');
    await undoThrough(dataSource, 'SealWebhookSecrets1796425000000');
    expect(await dataSource.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'webhook_subscriptions' AND column_name LIKE 'secret%'")).toEqual([{ column_name: 'secret' }]);
    await dataSource.runMigrations();
    expect(await storedSecrets()).toEqual([{ id: legacy, secret: 'whsec_kept', secret_key_id: null, secret_sealed: null }]);
    // A row holding both forms, or neither, is refused.
    await expect(dataSource.query('UPDATE webhook_subscriptions SET secret = NULL')).rejects.toThrow(/webhook_subscriptions_one_secret/);
  });
});
