import jwt from 'jsonwebtoken';
import type { ParsedMail } from 'mailparser';
import type { RunningGateway } from '../../gateway/src';
import type { RunningService } from '../../shared/src';
import { startSmtpTestServer, type SmtpTestServer } from '../../shared/src/testing/smtpTestServer';
import { graphql, until } from '../support';
import { startOwnGateway, startOwnPlatform } from '../support/ownServices';
import { expectRefused } from '../support/refusals';
import { closePools, sql } from '../support/registryFixtures';

// Self-service registration and password reset, with mail through a real SMTP server started here.

let smtp: SmtpTestServer;
let platform: RunningService;
let gateway: RunningGateway;
let gatewayUrl: string;

const call = <T = any>(query: string, variables: Record<string, unknown> = {}, token?: string) =>
  graphql<T>(gatewayUrl, query, { variables, ...(token ? { token } : {}) });

const REGISTER = 'mutation($input: RegistrationInput!) { register(input: $input) }';
const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token refreshToken } }';
let counter = 0;
const fresh = () => {
  counter += 1;
  return { username: `new.person${counter}`, email: `new.person${counter}@example.cn` };
};

/** The next message to `to` (of kind `kind`), waiting for it to arrive. */
function mailTo(to: string, kind: string): Promise<ParsedMail> {
  return until(`a ${kind} message to ${to}`, () =>
    smtp.received.find((mail) => mail.to && JSON.stringify(mail.to).includes(to) && mail.headers.get('x-shuangcheng-mail') === kind));
}

const tokenIn = (mail: ParsedMail) => /token: "([\w-]+)"/.exec(mail.text ?? '')![1]!;
const mailsTo = (to: string) => smtp.received.filter((mail) => JSON.stringify(mail.to).includes(to)).length;


beforeAll(async () => {
  smtp = await startSmtpTestServer();
  platform = await startOwnPlatform('platform-mail', {
    SMTP_URL: smtp.url,
    ACCOUNT_MAIL_MAX_PER_EMAIL: '3',
    ACCOUNT_MAIL_MAX_PER_ADDRESS: '200',
    ACCOUNT_LINK_URL: 'http://localhost:4000/account',
    // Swept every second; accounts are made old below by moving their creation back.
    UNVERIFIED_ACCOUNT_TTL_SECONDS: String(7 * 86_400),
    UNVERIFIED_ACCOUNT_SWEEP_SECONDS: '1',
  });
  gateway = await startOwnGateway('gateway-mail', {}, { platform: platform.url });
  gatewayUrl = `http://127.0.0.1:${gateway.port}/graphql`;
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await platform?.close();
  await smtp?.close();
  await closePools();
});

test('a person registers, gets the verification mail in Chinese, cannot sign in until verified, then can; the token works once', async () => {
  const { username, email } = fresh();
  const password = 'a long enough password';
  const registered = await call(REGISTER, {
    input: { username, email, password, displayName: '周兰', homeProvince: 'CHONGQING', institution: 'Chongqing Robotics Co.', affiliation: 'ENTERPRISE' },
  });
  expect(registered.body).toEqual({ data: { register: true } });
  const mail = await mailTo(email, 'verify_email');
  expect(mail.subject).toBe('双城平台：请确认您的电子邮箱');
  expect(mail.text).toContain(`http://localhost:4000/account?purpose=verify_email&token=${tokenIn(mail)}`);

  const early = await call(LOGIN, { u: username, p: password });
  expectRefused(early.body, 'UNAUTHENTICATED');
  expect(early.body.errors![0]!.message).toMatch(/Confirm your e-mail address/);

  expect((await call('mutation($t: String!) { verifyEmail(token: $t) }', { t: tokenIn(mail) })).body).toEqual({ data: { verifyEmail: true } });
  expectRefused((await call('mutation($t: String!) { verifyEmail(token: $t) }', { t: tokenIn(mail) })).body, 'BAD_USER_INPUT', { argument: 'token' });

  const login = await call(LOGIN, { u: username, p: password });
  const claims = jwt.decode(login.body.data.login.token) as Record<string, unknown>;
  expect(claims).toMatchObject({ province: 'chongqing', institution: 'Chongqing Robotics Co.', affiliation: 'enterprise', roles: ['researcher'] });
  const me = await call('{ me { displayName email emailVerified locale affiliationVerified } }', {}, login.body.data.login.token);
  expect(me.body.data.me).toEqual({ displayName: '周兰', email, emailVerified: true, locale: 'ZH', affiliationVerified: false });
  const [row] = await sql('platform', 'SELECT token_hash FROM account_tokens a JOIN users u ON u.id = a.user_id WHERE u.username = $1', [username]);
  expect(row!['token_hash']).not.toContain(tokenIn(mail));
});

test('registering a taken address or username answers the same, and tells only the address, in its language', async () => {
  const first = fresh();
  await call(REGISTER, { input: { ...first, password: 'first person password', displayName: 'First', locale: 'EN' } });
  const verification = await mailTo(first.email, 'verify_email');
  expect(verification.subject).toBe('Shuangcheng: confirm your e-mail address');
  await call('mutation($t: String!) { verifyEmail(token: $t) }', { t: tokenIn(verification) });

  const sameAddress = await call(REGISTER, { input: { username: 'someone.else', email: first.email.toUpperCase(), password: 'another password here', displayName: 'Else' } });
  expect(sameAddress.body).toEqual({ data: { register: true } });
  expect((await mailTo(first.email, 'already_registered')).subject).toBe('Shuangcheng: someone tried to register with your address');

  const other = fresh();
  const sameUsername = await call(REGISTER, { input: { username: first.username, email: other.email, password: 'another password here', displayName: 'Else', locale: 'ZH' } });
  expect(sameUsername.body).toEqual({ data: { register: true } });
  expect((await mailTo(other.email, 'username_taken')).subject).toBe('双城平台：用户名已被占用');
  const [{ count }] = (await sql('platform', 'SELECT count(*)::int AS count FROM users WHERE email = $1 OR username = $2', [other.email, first.username])) as [{ count: number }];
  expect(count).toBe(1);
});

test('a password reset: unknown addresses answer the same and get nothing; the token resets once and ends the old sessions', async () => {
  const unknown = await call('mutation { requestPasswordReset(email: "nobody.registered@example.cn") }');
  expect(unknown.body).toEqual({ data: { requestPasswordReset: true } });

  const person = fresh();
  await call(REGISTER, { input: { ...person, password: 'the original password', displayName: 'Resetter', locale: 'EN' } });
  await call('mutation($t: String!) { verifyEmail(token: $t) }', { t: tokenIn(await mailTo(person.email, 'verify_email')) });
  const before = await call(LOGIN, { u: person.username, p: 'the original password' });

  expect((await call('mutation($e: String!) { requestPasswordReset(email: $e) }', { e: person.email })).body).toEqual({ data: { requestPasswordReset: true } });
  const mail = await mailTo(person.email, 'reset_password');
  expect(mail.subject).toBe('Shuangcheng: reset your password');
  expectRefused((await call('mutation($t: String!) { resetPassword(token: $t, newPassword: "short") }', { t: tokenIn(mail) })).body, 'BAD_USER_INPUT', { argument: 'newPassword' });
  expect((await call('mutation($t: String!) { resetPassword(token: $t, newPassword: "a brand new password") }', { t: tokenIn(mail) })).body).toEqual({ data: { resetPassword: true } });
  expectRefused((await call('mutation($t: String!) { resetPassword(token: $t, newPassword: "yet another password") }', { t: tokenIn(mail) })).body, 'BAD_USER_INPUT', { argument: 'token' });

  expectRefused((await call(LOGIN, { u: person.username, p: 'the original password' })).body, 'UNAUTHENTICATED');
  expect((await call(LOGIN, { u: person.username, p: 'a brand new password' })).body.data.login.token).toBeTruthy();
  expectRefused((await call('mutation($r: String!) { refreshSession(refreshToken: $r) { token } }', { r: before.body.data.login.refreshToken })).body, 'UNAUTHENTICATED');
  // A verification token is not a reset token.
  expectRefused((await call('mutation($t: String!) { verifyEmail(token: $t) }', { t: tokenIn(mail) })).body, 'BAD_USER_INPUT', { argument: 'token' });
});

test('requests for one address are throttled, known or not, with the wait in the answer', async () => {
  for (const email of ['throttled.unknown@example.cn', 'li.wei@scu.example']) {
    for (let i = 0; i < 3; i += 1) expect((await call('mutation($e: String!) { requestPasswordReset(email: $e) }', { e: email })).body.data).toEqual({ requestPasswordReset: true });
    const refused = await call('mutation($e: String!) { requestPasswordReset(email: $e) }', { e: email });
    expectRefused(refused.body, 'RATE_LIMITED');
    expect(refused.body.errors![0]!.extensions!['retryAfterSeconds']).toBeGreaterThan(0);
  }
  const mailsBefore = mailsTo('throttled.unknown@example.cn');
  expect(mailsBefore).toBe(0);
});

test.each([
  ['a malformed address', { email: 'not-an-address' }, 'email'],
  ['a short password', { password: 'short' }, 'password'],
  ['a username with spaces', { username: 'Has Spaces' }, 'username'],
  ['an empty display name', { displayName: '   ' }, 'displayName'],
  ['a very long institution', { institution: 'x'.repeat(201) }, 'institution'],
])('registration with %s is refused, naming the field, and nothing is mailed', async (_what, change, argument) => {
  const person = fresh();
  const { body } = await call(REGISTER, { input: { ...person, password: 'a long enough password', displayName: 'Someone', ...change } });
  expectRefused(body, 'BAD_USER_INPUT', { argument });
  const [{ count }] = (await sql('platform', 'SELECT count(*)::int AS count FROM users WHERE username = $1', [person.username])) as [{ count: number }];
  expect(count).toBe(0);
  expect(mailsTo(person.email)).toBe(0);
});

test('a token of the wrong shape is refused as input', async () => {
  expectRefused((await call('mutation { verifyEmail(token: "x") }')).body, 'BAD_USER_INPUT', { argument: 'token' });
  expectRefused((await call('mutation { resetPassword(token: "not a token!", newPassword: "a brand new password") }')).body, 'BAD_USER_INPUT', { argument: 'token' });
});

test('registrations never verified are deleted after their time, freeing the address; verified, linked and recent ones are kept', async () => {
  const password = 'a long enough password';
  const people = { stale: fresh(), verified: fresh(), linked: fresh(), recent: fresh() };
  for (const person of Object.values(people)) {
    expect((await call(REGISTER, { input: { ...person, password, displayName: 'Someone' } })).body).toEqual({ data: { register: true } });
    await mailTo(person.email, 'verify_email');
  }
  await call('mutation($t: String!) { verifyEmail(token: $t) }', { t: tokenIn(await mailTo(people.verified.email, 'verify_email')) });
  await sql('platform', `INSERT INTO external_identities (id, user_id, provider, subject) SELECT gen_random_uuid(), id, 'demo-idp', $2 FROM users WHERE username = $1`,
    [people.linked.username, `subject-of-${people.linked.username}`]);
  // Eight days old, but for the recent one; and a seeded account, made long ago by an admin, is old too.
  await sql('platform', "UPDATE users SET created_at = now() - interval '8 days' WHERE username = ANY ($1)",
    [[people.stale.username, people.verified.username, people.linked.username]]);
  const seeded = await sql('platform', "SELECT count(*)::int AS n FROM users WHERE NOT requires_email_verification");

  const usernames = async () => (await sql('platform', 'SELECT username FROM users WHERE username = ANY ($1) ORDER BY username',
    [Object.values(people).map((person) => person.username)])).map((row) => row['username']);
  await until('the stale registration deleted', async () => !(await usernames()).includes(people.stale.username), 10_000);
  expect(await usernames()).toEqual([people.verified.username, people.linked.username, people.recent.username].sort());
  expect(await sql('platform', "SELECT count(*)::int AS n FROM users WHERE NOT requires_email_verification")).toEqual(seeded);

  // The address and the username are free again: registering once more is a fresh start, with a new link.
  const before = mailsTo(people.stale.email);
  expect((await call(REGISTER, { input: { ...people.stale, password, displayName: 'Someone' } })).body).toEqual({ data: { register: true } });
  await until('a new verification link', () => mailsTo(people.stale.email) > before);
  const again = smtp.received.filter((mail) => JSON.stringify(mail.to).includes(people.stale.email)).at(-1)!;
  expect(again.headers.get('x-shuangcheng-mail')).toBe('verify_email');
});
