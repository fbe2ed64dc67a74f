/**
 * Records that name a person's platform account (a talent card's or a voucher's holder, a trained person's
 * qualification) while the platform cannot be asked whether that account exists: a Sichuan subgraph of this file's
 * own, over the file's Sichuan database, whose platform address answers nothing, behind a gateway of its own.
 * Nothing is written, and the admin is told to retry.
 */
import type { RunningGateway } from '../../gateway/src';
import type { RunningService } from '../../shared/src';
import { freePort } from '../support';
import { startOwnGateway, startOwnProvince } from '../support/ownServices';
import { closePools, sql } from '../support/registryFixtures';
import { graphql, onlyError, tokenFor } from '../support/system';
import { createUser } from '../support/throwawayIdentities';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

let province: RunningService;
let ownGateway: RunningGateway;
beforeAll(async () => {
  province = await startOwnProvince('sichuan-without-platform', 'sichuan', { PLATFORM_URL: `http://127.0.0.1:${await freePort()}/graphql` });
  ownGateway = await startOwnGateway('gateway-without-platform', {}, { sichuan: province.url });
});
afterAll(async () => {
  await ownGateway?.close();
  await province?.close();
  await closePools();
});

const viaOwnGateway = async (query: string, variables: Record<string, unknown>) =>
  (await graphql(`http://127.0.0.1:${ownGateway.port}/graphql`, query, { token: await tokenFor('sc.admin'), variables })).body;

/** What a refused change would have written: the province's rows of each kind and its audit entries. */
const written = async () =>
  (await sql('sichuan', `SELECT (SELECT count(*) FROM talent_cards)::int AS cards, (SELECT count(*) FROM qualifications)::int AS qualifications,
    (SELECT count(*) FROM vouchers)::int AS vouchers, (SELECT count(*) FROM audit_log)::int AS audits`))[0];

const RECORDS: [string, string, string, (userId: string) => Record<string, unknown>][] = [
  ['a talent card', 'Tianfu Talent Card', 'mutation($input: IssueTalentCardInput!) { issueSichuanTalentCard(input: $input) { id } }',
    (holderUserId) => ({ input: { holderName: 'Zhou Lan', holderUserId, tier: 'C', validUntil: inDays(365) } })],
  ['a qualification', 'qualification', 'mutation($input: QualificationInput!) { grantSichuanQualification(input: $input) { id } }',
    (userId) => ({ input: { userId, model: 'PU-1', expiresAt: inDays(100) } })],
  ['a voucher', 'voucher', 'mutation($input: IssueVoucherInput!) { issueSichuanVoucher(input: $input) { id } }',
    (holderUserId) => ({ input: { holderUserId, holderName: 'Liangjiang Biotech Co., Ltd.', amountFen: 10_000, validFrom: inDays(0), validUntil: inDays(30), acceptedIn: ['SICHUAN'], maxSharePercent: 50 } })],
];

it.each(RECORDS)('refuses %s for a platform account with SERVICE_UNAVAILABLE, saying to retry, and writes nothing', async (_, record, mutation, variables) => {
  const person = await createUser('unasked');
  const before = await written();
  const error = onlyError(await viaOwnGateway(mutation, variables(person.id)));
  expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'PLATFORM_UNAVAILABLE' });
  expect(error.message).toMatch(new RegExp(`^The platform could not be asked whether the person input\\.\\w+ names has an account right now; no ${record} was written\\. Retry later\\.$`));
  expect(await written()).toEqual(before);
});

it('still issues a card that names no platform account, asking the platform nothing', async () => {
  const body = await viaOwnGateway(RECORDS[0]![2], { input: { holderName: 'Zhou Lan', tier: 'C', validUntil: inDays(365) } });
  expect(body.errors).toBeUndefined();
});
