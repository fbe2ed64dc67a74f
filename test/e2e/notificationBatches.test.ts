/**
 * A mailing province asks the platform where to mail people once for each batch of notifications it claims, not
 * once a mail: here through a real HTTP relay in front of the platform, which counts the questions it passes on.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningService } from '../../shared/src';
import { startSmtpTestServer, type SmtpTestServer } from '../../shared/src/testing/smtpTestServer';
import { startOwnProvince } from '../support/ownServices';
import { book, closePools, confirm, createInstrument, localTime, sql } from '../support/registryFixtures';
import { testSystem, tokenFor } from '../support/system';
import { until } from '../support/until';

let smtp: SmtpTestServer;
let relay: Server;
let mailingSichuan: RunningService | undefined;
const recipientQuestions: string[][] = [];

/** Passes every request on to the platform, noting the ids of each `mailRecipients` question. */
async function startPlatformRelay(platformUrl: string): Promise<string> {
  relay = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as { query: string; variables?: { ids?: string[] } };
      if (parsed.query.includes('mailRecipients')) recipientQuestions.push(parsed.variables?.ids ?? []);
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
      const answer = await fetch(platformUrl, { method: 'POST', headers, body });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  return `http://127.0.0.1:${(relay.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  smtp = await startSmtpTestServer();
}, 60_000);

afterAll(async () => {
  await mailingSichuan?.close();
  await new Promise((resolve) => relay?.close(resolve));
  await smtp?.close();
  await closePools();
});

test('the mails of one batch are addressed with one question to the platform', async () => {
  const people = ['li.wei', 'chen.jing', 'li.wei', 'chen.jing', 'li.wei'];
  const instrumentId = await createInstrument('sichuan', { name: 'Batch mail spectrometer', nameZh: '批量邮件光谱仪' });
  const bookings: string[] = [];
  for (const [index, person] of people.entries()) {
    const bookingId = await book('sichuan', await tokenFor(person), instrumentId, { start: localTime(50 + index, 9), end: localTime(50 + index, 10) });
    await confirm('sichuan', bookingId);
    bookings.push(bookingId);
  }
  // The file's own provinces mail nobody: the five notifications wait for the mailing province started now.
  const waiting = await sql('sichuan', "SELECT count(*)::int AS waiting FROM mail_notifications WHERE state = 'PENDING'");
  expect(waiting).toEqual([{ waiting: people.length }]);

  mailingSichuan = await startOwnProvince('sichuan-batch-mailing', 'sichuan', {
    SMTP_URL: smtp.url,
    PLATFORM_URL: await startPlatformRelay(testSystem().subgraphUrls.platform),
    NOTIFICATION_CONCURRENCY: '10',
    NOTIFICATION_POLL_MS: '100',
  });
  await until('every mail sent', () => smtp.received.length === people.length, 30_000);
  // The worker records a mail as sent once the SMTP server has taken it, a moment after the server has it.
  await until('every notification recorded as sent', async () => {
    const states = await sql('sichuan', 'SELECT state FROM mail_notifications');
    return states.length === people.length && states.every((row) => row.state !== 'PENDING');
  }, 30_000);
  const settled = await sql('sichuan', 'SELECT state FROM mail_notifications');
  expect(settled.map((row) => row.state)).toEqual(people.map(() => 'SENT'));
  // One question, naming each person once.
  expect(recipientQuestions).toHaveLength(1);
  expect(recipientQuestions[0]).toHaveLength(2);
  const addressed = smtp.received.map((mail) => JSON.stringify(mail.to));
  expect(addressed.filter((to) => to.includes('li.wei@'))).toHaveLength(3);
  expect(addressed.filter((to) => to.includes('chen.jing@'))).toHaveLength(2);
}, 90_000);
