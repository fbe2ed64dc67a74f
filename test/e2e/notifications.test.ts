/**
 * Mail to people when their bookings and service requests change: written with the change (the outbox), sent by a
 * province that mails (started here: the file's own services leave notifications waiting) through a real SMTP
 * server started here, in the person's language, to the address the platform keeps.
 */
import type { ParsedMail } from 'mailparser';
import type { RunningService } from '../../shared/src';
import { startSmtpTestServer, type SmtpTestServer } from '../../shared/src/testing/smtpTestServer';
import { startOwnProvince } from '../support/ownServices';
import { ADMIN_OF, book, closePools, confirm, createInstrument, localTime, newKey, SlotAllocator, sql } from '../support/registryFixtures';
import { asGateway, gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';
import { until } from '../support/until';

const slots = new SlotAllocator(40);
let smtp: SmtpTestServer;
let mailingSichuan: RunningService;
let instrumentId: string;
let admin: string;
let liWei: string;
let chenJing: string;

/** The mail about one event, once it has arrived. */
const mailAbout = (eventId: string): Promise<ParsedMail> =>
  until(`the mail about event ${eventId}`, () => smtp.received.find((mail) => mail.headers.get('x-shuangcheng-event-id') === eventId));

/** The id of the newest event of this type about this entity. */
async function eventId(type: string, entityId: string): Promise<string> {
  const [row] = await sql('sichuan', 'SELECT id FROM events WHERE type = $1 AND entity_id = $2 ORDER BY sequence DESC LIMIT 1', [type, entityId]);
  expect(row).toBeDefined();
  return row!.id as string;
}

/** The notification's row once the mailing province has dealt with it. */
const settled = (eventIdValue: string) =>
  until(`the notification of ${eventIdValue} settled`, async () => {
    const [row] = await sql('sichuan',
      `SELECT n.state, n.attempts, n.last_error FROM mail_notifications n JOIN events e ON e.sequence = n.event_sequence WHERE e.id = $1`, [eventIdValue]);
    return row && row.state !== 'PENDING' ? row : undefined;
  });

async function moveBooking(mutation: 'reject' | 'cancel', bookingId: string, token: string, note: string) {
  const field = mutation === 'reject' ? 'rejectSichuanBooking(bookingId: $id, reason: $note)' : 'cancelSichuanBooking(bookingId: $id, reason: $note)';
  const { body } = await gateway(`mutation($id: ID!, $note: String!) { ${field} { status } }`, { token, variables: { id: bookingId, note } });
  expect(body.errors).toBeUndefined();
}

async function mailSettings(token: string, input: Record<string, unknown>) {
  const { body } = await gateway('mutation($input: MailSettingsInput!) { updateMyMailSettings(input: $input) { locale mailNotifications } }', { token, variables: { input } });
  expect(body.errors).toBeUndefined();
  return body.data.updateMyMailSettings;
}

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  mailingSichuan = await startOwnProvince('sichuan-mailing', 'sichuan', {
    SMTP_URL: smtp.url,
    NOTIFICATION_CONCURRENCY: '2',
    NOTIFICATION_POLL_MS: '100',
    NOTIFICATION_RETRY_BASE_MS: '100',
    NOTIFICATION_RETRY_MAX_MS: '400',
    NOTIFICATION_MAX_ATTEMPTS: '60',
  });
  admin = await tokenFor(ADMIN_OF.sichuan);
  liWei = await tokenFor('li.wei');
  chenJing = await tokenFor('chen.jing');
  instrumentId = await createInstrument('sichuan', { name: 'Raman microscope', nameZh: '拉曼显微镜' });
}, 60_000);

afterAll(async () => {
  await mailingSichuan?.close();
  await smtp?.close();
  await closePools();
});

test('a confirmed booking is mailed to the person in Chinese, naming the instrument and the period in China time', async () => {
  const slot = { start: localTime(41, 9), end: localTime(41, 10, 30) };
  const bookingId = await book('sichuan', liWei, instrumentId, slot);
  await confirm('sichuan', bookingId);

  const mail = await mailAbout(await eventId('booking.confirmed', bookingId));
  expect(JSON.stringify(mail.to)).toContain('li.wei@scu.example');
  expect(mail.subject).toBe('双城平台：预约已确认：拉曼显微镜');
  const day = new Date(new Date(slot.start).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  expect(mail.text).toContain(`Li Wei，您好：`);
  expect(mail.text).toContain(`您在四川预约的仪器「拉曼显微镜」（${day} 09:00 (UTC+8) – ${day} 10:30 (UTC+8)）已确认`);
  expect(mail.text).toContain(`编号: ${bookingId}`);
  expect(mail.headers.get('x-shuangcheng-mail')).toBe('booking.confirmed');
});

test('a person mailed in English gets the rejection in English, with the admin\'s note as the reason', async () => {
  const bookingId = await book('sichuan', chenJing, instrumentId, slots.take());
  await moveBooking('reject', bookingId, admin, 'The detector is being recalibrated');

  const mail = await mailAbout(await eventId('booking.rejected', bookingId));
  expect(JSON.stringify(mail.to)).toContain('chen.jing@cqu.example');
  expect(mail.subject).toBe('Shuangcheng: Booking not approved: Raman microscope');
  expect(mail.text).toContain('Dear Chen Jing,');
  expect(mail.text).toContain('Your booking of Raman microscope in Sichuan');
  expect(mail.text).toContain('Reason: The detector is being recalibrated');
});

test('the person\'s own settings decide: a new language counts from the next mail, and mail turned off is not sent', async () => {
  expect(await mailSettings(liWei, { locale: 'EN' })).toEqual({ locale: 'EN', mailNotifications: true });
  const first = await book('sichuan', liWei, instrumentId, slots.take());
  await moveBooking('cancel', first, liWei, 'Plans changed');
  const english = await mailAbout(await eventId('booking.cancelled', first));
  expect(english.subject).toBe('Shuangcheng: Booking cancelled: Raman microscope');

  expect(await mailSettings(liWei, { notifications: false })).toEqual({ locale: 'EN', mailNotifications: false });
  const second = await book('sichuan', liWei, instrumentId, slots.take());
  await moveBooking('cancel', second, liWei, 'Plans changed again');
  const cancelled = await eventId('booking.cancelled', second);
  expect(await settled(cancelled)).toMatchObject({ state: 'SKIPPED', last_error: 'the person has no verified address, or turned mail off' });
  expect(smtp.received.filter((mail) => mail.headers.get('x-shuangcheng-event-id') === cancelled)).toEqual([]);

  await mailSettings(liWei, { locale: 'ZH', notifications: true });
});

test('a quote is mailed with its exact amount in yuan; steps the person took themselves are not mailed', async () => {
  const offeringId = await gateway('mutation($input: OfferingInput!) { created: createSichuanOffering(input: $input) { id } }', {
    token: admin,
    variables: {
      input: {
        instrumentId, kind: 'SAMPLE_TESTING', name: 'Raman spectrum of a solid sample', nameZh: '固体样品拉曼光谱', turnaroundDays: 5,
        sampleForm: [{ name: 'mineral', label: 'Mineral', type: 'TEXT' }],
        prices: ['OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL'].map((category) => ({ category, amountFen: 30_000 })),
      },
    },
  }).then(({ body }) => {
    expect(body.errors).toBeUndefined();
    return body.data.created.id as string;
  });
  const submitted = await gateway('mutation($input: ServiceRequestInput!) { r: submitSichuanServiceRequest(input: $input) { id } }', {
    token: liWei,
    variables: { input: { offeringId, formValues: [{ name: 'mineral', value: 'Quartz' }], sampleCount: 3, neededBy: localTime(30, 12), description: 'Three mineral samples', idempotencyKey: newKey() } },
  });
  const requestId = submitted.body.data.r.id as string;
  const quoted = await gateway('mutation($id: ID!, $until: DateTime!) { quoteSichuanServiceRequest(id: $id, amountFen: 123450, validUntil: $until) { status } }', {
    token: admin, variables: { id: requestId, until: localTime(20, 12) },
  });
  expect(quoted.body.errors).toBeUndefined();

  const mail = await mailAbout(await eventId('serviceRequest.quoted', requestId));
  expect(mail.subject).toBe('双城平台：服务申请已报价：固体样品拉曼光谱');
  expect(mail.text).toContain('已报价：1234.50 元');
  const submittedEvent = await eventId('serviceRequest.submitted', requestId);
  expect(await sql('sichuan', 'SELECT n.id FROM mail_notifications n JOIN events e ON e.sequence = n.event_sequence WHERE e.id = $1', [submittedEvent])).toEqual([]);
});

test('a mail server that refuses for a while delays the mail, and loses none of it', async () => {
  smtp.refusing = true;
  const bookingId = await book('sichuan', liWei, instrumentId, slots.take());
  await confirm('sichuan', bookingId);
  const confirmed = await eventId('booking.confirmed', bookingId);
  const failed = await until('a refused attempt recorded', async () => {
    const [row] = await sql('sichuan', 'SELECT n.state, n.attempts, n.last_error FROM mail_notifications n JOIN events e ON e.sequence = n.event_sequence WHERE e.id = $1', [confirmed]);
    return row && row.attempts >= 2 ? row : undefined;
  });
  expect(failed).toMatchObject({ state: 'PENDING', last_error: expect.stringContaining('451') });

  smtp.refusing = false;
  const mail = await mailAbout(confirmed);
  expect(mail.subject).toBe('双城平台：预约已确认：拉曼显微镜');
  expect(await settled(confirmed)).toMatchObject({ state: 'SENT' });
  expect(smtp.received.filter((m) => m.headers.get('x-shuangcheng-event-id') === confirmed)).toHaveLength(1);
});

test('where to mail people is answered only to the services', async () => {
  const [person] = await sql('platform', `SELECT id FROM users WHERE username = 'chen.jing'`);
  const query = 'query($ids: [ID!]!) { mailRecipients(ids: $ids) { id email locale } }';
  const direct = await graphql(testSystem().subgraphUrls.platform, query, { variables: { ids: [person!.id] } });
  expect(onlyError(direct.body).extensions?.code).toBe('FORBIDDEN');
  const asService = await graphql(testSystem().subgraphUrls.platform, query, { variables: { ids: [person!.id] }, headers: asGateway() });
  expect(asService.body).toEqual({ data: { mailRecipients: [{ id: person!.id, email: 'chen.jing@cqu.example', locale: 'EN' }] } });
  const throughGateway = await gateway(query, { variables: { ids: [person!.id] }, token: admin });
  expect(throughGateway.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});
