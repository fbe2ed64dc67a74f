import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, Kind, parse } from 'graphql';
import {
  AddDocument, AuditDocument, BookDocument, CatalogueDocument, ConfirmDocument, DashboardDocument, FiguresDocument,
  FreeDocument, GrantPartnerDocument, IssueDocument, JointDocument, JointLabDocument, LogoutDocument,
  MyBookingsDocument, MyCardDocument, PartnerGrantsDocument, QueueDocument, ReadAccessLogDocument, RefreshDocument,
  RegisterPartnerDocument, RenewDocument, RetireDocument, RevokeCardDocument, RevokeDocument,
  RotatePartnerSecretDocument, SearchDocument, VerifyDocument, ClassifiedDocument, ImportRegistryDocument,
  NewCategoryDocument, BookTrainedDocument, EvaluationDocument, EvaluationInstrumentsDocument, TrainingRulesDocument, BeginSignInDocument,
  CompleteSignInDocument, ProvidersDocument, SetAffiliationDocument, SequencingOffersDocument,
  RequestSequencingDocument, ServiceQueueDocument, QuoteRequestDocument, AcceptQuoteDocument,
  MyServiceRequestsDocument, ReceiveSamplesDocument, StartWorkDocument, IssueReportDocument, CreditChargeDocument,
  MyStatementDocument, FinanceExportDocument, AddOfferingDocument, SetPricesDocument, IssueVoucherDocument,
  MyVouchersDocument, PayWithVoucherDocument, PaidChargeDocument, PendingHoldsDocument, SettlementDocument, VoucherFiguresDocument,
  SubscribeDocument, MyWebhooksDocument, ReplayDocument, EventsDocument, NewCalendarFeedDocument,
  MyCalendarFeedsDocument, RevokeCalendarFeedDocument, MailSettingsDocument, MyCardCodeDocument, CheckByCodeDocument, RedeemDocument,
  RegisterProviderItemsDocument, CardCheckLogDocument,
  ApprovePortalDocument, ExchangeCodeDocument, BookForResearcherDocument, PortalShowsCardDocument, MyConsentsDocument, PortalConsentsDocument, RevokePortalDocument,
} from '../../gateway/api/examples/examples.generated';
import { exampleFiles } from '../../scripts/codegen/typedOperations';
import { seededUserId } from '../../shared/src';
import { CallerTokens, type Caller } from '../support/callers';
import { startDemoOidcProvider } from '../../shared/src/testing/demoOidcProvider';
import { DEMO_IDENTITY_PROVIDER } from '../../subgraphs/platform/src';
import { startOwnGateway, startOwnPlatform } from '../support/ownServices';
import { gateway, graphql, tokenFor } from '../support/system';

/*
 * Runs every example operation of the README (gateway/api/examples, each shown whole in the README: checked by
 * scripts/__tests__/readmeExamples.test.ts) against the seeded system, as the user the README names, with the
 * variables a client would send: dates relative to today, ids read from the API. Each must answer without errors.
 */

/** Each operation's name and the text of the example file that holds it, as a client sends the file. */
const EXAMPLE_TEXTS = new Map(
  exampleFiles().flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return parse(text).definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [[definition.name.value, text] as const] : []));
  }),
);
const ran = new Set<string>();
const tokens = new CallerTokens();

/** Sends the example file holding `document`'s operation, naming the operation; its answer must have no errors. */
async function run<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>, as: Caller | { token: string }, variables: TVariables, gatewayUrl?: string,
): Promise<TResult> {
  const operationName = getOperationAST(document)!.name!.value;
  const text = EXAMPLE_TEXTS.get(operationName);
  if (!text) throw new Error(`no example file holds the operation ${operationName}`);
  const token = typeof as === 'string' ? await tokens.tokenOf(as) : as.token;
  const options = { operationName, variables: variables as Record<string, unknown>, ...(token ? { token } : {}) };
  const { status, body } = gatewayUrl ? await graphql<TResult>(gatewayUrl, text, options) : await gateway<TResult>(text, options);
  expect({ operationName, errors: body.errors }).toEqual({ operationName, errors: undefined });
  expect(status).toBe(200);
  ran.add(operationName);
  return body.data!;
}

const DAY_MS = 86_400_000;
/** Midnight in China (UTC+8) `days` from today, as an ISO 8601 DateTime. */
function chinaMidnight(days: number): string {
  const chinaDate = new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
  return `${chinaDate}T00:00:00+08:00`;
}

describe('README example operations, run against the seeded system', () => {
  it('finds instruments, labs, talent card services and figures (li.wei; Figures anonymously)', async () => {
    const dashboard = await run(DashboardDocument, 'li.wei', {});
    expect(dashboard.sichuan!.instruments.totalCount).toBeGreaterThan(0);
    expect(dashboard.chongqing!.labs.length).toBeGreaterThan(0);

    const firstPage = await run(SearchDocument, 'li.wei', {});
    expect(firstPage.chongqing!.instruments.totalCount).toBeGreaterThan(0);
    await run(SearchDocument, 'li.wei', { after: firstPage.chongqing!.instruments.pageInfo.endCursor });

    const { body } = await gateway<{ chongqing: { labs: { id: string }[] } }>('{ chongqing { labs(jointOnly: true) { id } } }');
    const jointLab = await run(JointLabDocument, 'li.wei', { id: body.data!.chongqing.labs[0]!.id });
    expect(jointLab.lab).toMatchObject({ jointlyBuilt: true, partnerProvince: 'SICHUAN' });

    const card = await run(MyCardDocument, 'li.wei', {});
    expect(card.me!.sichuanTalentCard!.partnerRecognitions!.length).toBeGreaterThan(0);

    const figures = await run(FiguresDocument, 'anonymous', { from: chinaMidnight(-180), to: chinaMidnight(1) });
    expect(figures.sichuan!.stats.instruments).toBeGreaterThan(0);
  });

  it('books a Sichuan instrument as a Chongqing researcher, confirms it as a Sichuan admin, and lists it', async () => {
    const dashboard = await run(DashboardDocument, 'chen.jing', {});
    const instrumentId = dashboard.sichuan!.instruments.edges[0]!.node.id;
    const free = await run(FreeDocument, 'chen.jing', { id: instrumentId, from: chinaMidnight(1), to: chinaMidnight(4) });
    const slot = free.sichuan!.instrument!.availability.find((period) => Date.parse(period.end) - Date.parse(period.start) >= 2 * 3_600_000)!;
    const end = new Date(Date.parse(slot.start) + 2 * 3_600_000).toISOString();
    const booked = await run(BookDocument, 'chen.jing', { id: instrumentId, start: slot.start, end, idempotencyKey: randomUUID() });
    expect(booked.bookSichuanInstrument.status).toBe('REQUESTED');

    const queue = await run(QueueDocument, 'sc.admin', {});
    expect(queue.sichuan!.bookings.edges.map((edge) => edge.node.id)).toContain(booked.bookSichuanInstrument.id);
    const confirmed = await run(ConfirmDocument, 'sc.admin', { id: booked.bookSichuanInstrument.id });
    expect(confirmed.confirmSichuanBooking.status).toBe('CONFIRMED');

    const mine = await run(MyBookingsDocument, 'chen.jing', {});
    expect(mine.me!.sichuanBookings).toContainEqual(expect.objectContaining({ id: booked.bookSichuanInstrument.id, status: 'CONFIRMED' }));
  });

  it('checks a Tianfu card as the demo partner', async () => {
    const verified = await run(VerifyDocument, 'partner', {});
    expect(verified.verifyTalentCard.cardNumber).toBe('TF-2024-000128');
  });

  it('checks a Chongqing card with its holder\'s code and redeems a service (chen.jing, then the demo partner), and reads the check log (cq.admin)', async () => {
    const shown = await run(MyCardCodeDocument, 'chen.jing', {});
    const checked = await run(CheckByCodeDocument, 'partner', { code: shown.createChongqingCardVerificationCode.code });
    expect(checked.verifyTalentCard).toMatchObject({ holderName: 'Chen Jing', valid: true });
    const fresh = await run(MyCardCodeDocument, 'chen.jing', {});
    const redeemed = await run(RedeemDocument, 'partner', { code: fresh.createChongqingCardVerificationCode.code, idempotencyKey: randomUUID() });
    expect(redeemed.redeemSichuanRecognizedService).toMatchObject({ item: 'CULTURE_TOURISM', issuer: 'CHONGQING' });
    await run(RegisterProviderItemsDocument, 'sc.admin', {});
    const log = await run(CardCheckLogDocument, 'cq.admin', {});
    expect(log.chongqing!.cardChecks.edges.filter((edge) => edge.node.method === 'CODE')).toHaveLength(2);
    expect(log.sichuan!.stats.servicesDelivered.find((row) => row.key === 'CULTURE_TOURISM')!.count).toBeGreaterThan(0);
  });

  it('issues, renews and revokes a Tianfu card and sets a catalogue item as a Sichuan admin', async () => {
    const issued = await run(IssueDocument, 'sc.admin', { validUntil: chinaMidnight(3 * 365) });
    const renewed = await run(RenewDocument, 'sc.admin', { id: issued.issueSichuanTalentCard.id, validUntil: chinaMidnight(5 * 365) });
    expect(renewed.renewSichuanTalentCard.tier).toBe('A');
    const revoked = await run(RevokeCardDocument, 'sc.admin', { id: issued.issueSichuanTalentCard.id });
    expect(revoked.revokeSichuanTalentCard.status).toBe('REVOKED');
    await run(CatalogueDocument, 'sc.admin', {});
  });

  it('adds an instrument and a joint lab, retires the instrument and reads its audit as a Sichuan admin', async () => {
    const added = await run(AddDocument, 'sc.admin', {});
    const dashboard = await run(DashboardDocument, 'sc.admin', {});
    const partnerInstrumentIds = dashboard.chongqing!.instruments.edges.slice(0, 2).map((edge) => edge.node.id);
    const joint = await run(JointDocument, 'sc.admin', { partnerInstrumentIds });
    expect(joint.createSichuanLab.instruments.map((instrument) => instrument?.id)).toEqual(partnerInstrumentIds);
    const retired = await run(RetireDocument, 'sc.admin', { id: added.createSichuanInstrument.id });
    expect(retired.retireSichuanInstrument.status).toBe('RETIRED');
    const audit = await run(AuditDocument, 'sc.admin', { id: added.createSichuanInstrument.id });
    expect(audit.sichuan!.auditLog.edges.length).toBeGreaterThanOrEqual(2);
  });

  it('searches by classification, adds a category and loads a registry file as a Sichuan admin', async () => {
    const classified = await run(ClassifiedDocument, 'anonymous', {});
    expect(classified.sichuan!.instruments.totalCount).toBeGreaterThan(0);
    expect(classified.sichuan!.instruments.edges[0]!.node.originalValueFen).toMatch(/^\d+$/);
    expect((await run(NewCategoryDocument, 'sc.admin', {})).createSichuanCategory.code).toBe('RAMAN');
    const file = ['asset_code,name,name_zh,category,institution,hourly_fee_yuan,services,open_from_hour,open_to_hour,original_value_yuan',
      'SC-RAM-001,Confocal Raman microscope,共聚焦拉曼显微镜,RAMAN,Sichuan University,260,TESTING,9,17,1850000.00'].join('\n');
    const content = Buffer.from(file).toString('base64');
    expect((await run(ImportRegistryDocument, 'sc.admin', { content, dryRun: true })).importSichuanRegistry).toMatchObject({ status: 'IMPORTED', created: 1 });
    expect((await run(ImportRegistryDocument, 'sc.admin', { content })).importSichuanRegistry).toMatchObject({ status: 'IMPORTED', created: 1 });
  });

  it('refreshes and ends a session as li.wei, and ends all of li.wei\'s sessions as the platform admin', async () => {
    const { body } = await gateway<{ login: { refreshToken: string } }>(
      'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { refreshToken } }',
      { variables: { u: 'li.wei', p: 'shuangcheng-demo' } },
    );
    const refreshed = await run(RefreshDocument, 'anonymous', { r: body.data!.login.refreshToken });
    expect(await run(LogoutDocument, 'anonymous', { r: refreshed.refreshSession.refreshToken })).toEqual({ logout: true });
    const me = await gateway<{ me: { id: string } }>('{ me { id } }', { token: (await tokens.tokenOf('li.wei'))! });
    await run(RevokeDocument, 'platform.admin', { id: me.body.data!.me.id });
  });

  it('registers a partner as the platform admin, grants it Sichuan\'s card checks, and reads Sichuan\'s access log as a Sichuan admin', async () => {
    const registered = await run(RegisterPartnerDocument, 'platform.admin', { expiresAt: chinaMidnight(365) });
    const { clientSecret } = registered.registerPartnerClient;
    expect((await run(GrantPartnerDocument, 'sc.admin', {})).grantSichuanClientScopes.scopes).toEqual(['card:verify']);
    const grants = await run(PartnerGrantsDocument, 'platform.admin', {});
    expect(grants.partnerClient).toMatchObject({ sichuanGrant: { scopes: ['card:verify'] }, chongqingGrant: null });
    // The partner's first call: its token, then a card check.
    const issued = await gateway<{ issueClientToken: { token: string } }>(
      'mutation($s: String!) { issueClientToken(clientId: "chengdu-hospital", clientSecret: $s) { token } }', { variables: { s: clientSecret } },
    );
    // Sichuan's answer only: which Chongqing services a card is entitled to is Chongqing's, which granted this client nothing.
    const checked = await gateway('query FirstCheck { verifyTalentCard(cardNumber: "TF-2024-000128") { valid holderName } }', {
      token: issued.body.data!.issueClientToken.token,
    });
    expect(checked.body.data.verifyTalentCard).toEqual({ valid: true, holderName: null });
    await run(RotatePartnerSecretDocument, 'platform.admin', {});
    const log = await run(ReadAccessLogDocument, 'sc.admin', {});
    expect(log.sichuan!.accessLog.edges.some((edge) => edge.node.entityType === 'SichuanCardVerification')).toBe(true);
  });

  /** The Chongqing enterprise user of the demo (`affiliation: ENTERPRISE`), signed in as the README's journeys are. */
  const enterprise = async () => ({ token: await tokenFor('liu.yang') });
  const isSequencing = (offering: { sampleForm: readonly { name: string }[] }) => offering.sampleForm.some((field) => field.name === 'organism');

  /** A sequencing run of `requester`'s taken through to its report, as the journey below does: the id of the charge it wrote. */
  async function sequencingCharge(requester: Caller | { token: string }): Promise<string> {
    const offers = await run(SequencingOffersDocument, requester, {});
    const requested = await run(RequestSequencingDocument, requester, { offeringId: offers.sichuan!.offerings.find(isSequencing)!.id, neededBy: chinaMidnight(30), idempotencyKey: randomUUID() });
    const id = requested.submitSichuanServiceRequest.id;
    await run(QuoteRequestDocument, 'sc.admin', { id, validUntil: chinaMidnight(14) });
    await run(AcceptQuoteDocument, requester, { id });
    await run(ReceiveSamplesDocument, 'sc.admin', { id });
    await run(StartWorkDocument, 'sc.admin', { id });
    const report = { fileName: 'sequencing-report.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') };
    return (await run(IssueReportDocument, 'sc.admin', { id, report })).issueSichuanServiceReport.charge!.id;
  }

  it('asks Sichuan for a sequencing run as a Chongqing enterprise, quotes it as a Sichuan admin, accepts it, and is charged on the report', async () => {
    const researcher = await run(SequencingOffersDocument, 'chen.jing', {});
    expect(researcher.sichuan!.offerings.find(isSequencing)!.priceForMe).toMatchObject({ category: 'OTHER_PROVINCE_ACADEMIC', unit: 'SAMPLE' });
    const offers = await run(SequencingOffersDocument, await enterprise(), {});
    const sequencing = offers.sichuan!.offerings.find(isSequencing)!;
    expect(sequencing.priceForMe).toMatchObject({ category: 'ENTERPRISE', unit: 'SAMPLE' });
    const requested = await run(RequestSequencingDocument, await enterprise(), { offeringId: sequencing.id, neededBy: chinaMidnight(30), idempotencyKey: randomUUID() });
    const id = requested.submitSichuanServiceRequest.id;
    expect(requested.submitSichuanServiceRequest.priceSnapshot.estimateFen).toBe(8 * sequencing.priceForMe.amountFen!);

    const queue = await run(ServiceQueueDocument, 'sc.admin', {});
    expect(queue.sichuan!.serviceRequests.edges.map((edge) => edge.node.id)).toContain(id);
    const quoted = await run(QuoteRequestDocument, 'sc.admin', { id, validUntil: chinaMidnight(14) });
    expect(quoted.quoteSichuanServiceRequest.quote!.amountFen).toBe(860_000);
    const accepted = await run(AcceptQuoteDocument, await enterprise(), { id });
    expect(accepted.acceptSichuanServiceQuote.status).toBe('ACCEPTED');
    const mine = await run(MyServiceRequestsDocument, await enterprise(), {});
    expect(mine.me!.sichuanServiceRequests).toContainEqual(expect.objectContaining({ id, status: 'ACCEPTED' }));

    await run(ReceiveSamplesDocument, 'sc.admin', { id });
    await run(StartWorkDocument, 'sc.admin', { id });
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
    const issued = await run(IssueReportDocument, 'sc.admin', { id, report: { fileName: 'sequencing-report.pdf', contentType: 'application/pdf', contentBase64: pdf } });
    expect(issued.issueSichuanServiceReport.charge!.totalFen).toBe(860_000);
    const credited = await run(CreditChargeDocument, 'sc.admin', { chargeId: issued.issueSichuanServiceReport.charge!.id });
    expect(credited.creditSichuanCharge.totalFen).toBe(840_000);
    const statement = await run(MyStatementDocument, await enterprise(), { from: chinaMidnight(-1), to: chinaMidnight(1) });
    expect(statement.sichuan!.statement.charges.map((charge) => charge.id)).toContain(issued.issueSichuanServiceReport.charge!.id);
    const csv = await run(FinanceExportDocument, 'sc.admin', { from: chinaMidnight(-1), to: chinaMidnight(1) });
    expect(csv.sichuan!.chargesCsv).toContain('Report two days late');
  });

  it('adds an offering to an instrument and changes its prices as a Sichuan admin', async () => {
    const dashboard = await run(DashboardDocument, 'sc.admin', {});
    const added = await run(AddOfferingDocument, 'sc.admin', { instrumentId: dashboard.sichuan!.instruments.edges[0]!.node.id });
    expect(added.createSichuanOffering.prices).toHaveLength(5);
    const changed = await run(SetPricesDocument, 'sc.admin', { id: added.createSichuanOffering.id });
    expect(changed.setSichuanOfferingPrices.prices).toHaveLength(4);
  });

  it('issues a Chongqing voucher to the enterprise, which pays part of its Sichuan charge with it, and reports the settlement (cq.admin, liu.yang, sc.admin)', async () => {
    const issued = await run(IssueVoucherDocument, 'cq.admin', { holderUserId: seededUserId('liu.yang'), validFrom: chinaMidnight(0), validUntil: chinaMidnight(365) });
    expect(issued.issueChongqingVoucher.availableFen).toBe(5_000_000);
    const mine = await run(MyVouchersDocument, await enterprise(), {});
    expect(mine.me!.chongqingVouchers!.map((voucher) => voucher.id)).toContain(issued.issueChongqingVoucher.id);
    // The charge of the enterprise's sequencing run (the journey above, run again here so this test stands alone): its id is in MyServiceRequests.
    const chargeId = await sequencingCharge(await enterprise());
    const requests = await run(MyServiceRequestsDocument, await enterprise(), {});
    const charge = requests.me!.sichuanServiceRequests!.map((request) => request.charge).find((c) => c?.id === chargeId)!;
    expect(charge).toMatchObject({ totalFen: 860_000, voucherPaidFen: 0, amountDueFen: 860_000 });
    const paid = await run(PayWithVoucherDocument, await enterprise(), { voucherId: issued.issueChongqingVoucher.id, chargeRef: charge.id, chargeAmountFen: charge.totalFen, idempotencyKey: randomUUID() });
    expect(paid.paySichuanChargeWithVoucher).toMatchObject({ state: 'CAPTURED', amountFen: 200_000, issuer: 'CHONGQING' });
    const after = await run(PaidChargeDocument, await enterprise(), { id: charge.id });
    expect(after.sichuan!.charge).toEqual({
      totalFen: 860_000, voucherPaidFen: 200_000, voucherPendingFen: 0, amountDueFen: 660_000,
      voucherPayments: [{ voucherId: issued.issueChongqingVoucher.id, amountFen: 200_000, state: 'CAPTURED' }],
    });
    const holds = await run(PendingHoldsDocument, 'cq.admin', {});
    expect(holds.chongqing!.voucherHolds.pageInfo.hasNextPage).toBe(holds.chongqing!.voucherHolds.totalCount > 50);
    // Over the last 60 days both sides list the seeded payment and this one, and agree to the fen.
    const settlement = await run(SettlementDocument, 'sc.admin', { from: chinaMidnight(-60), to: chinaMidnight(1) });
    expect(settlement.sichuan!.voucherSettlement.claimFromPartnerTotalFen).toBe(String(150_000 + 200_000));
    const figures = await run(VoucherFiguresDocument, 'anonymous', {});
    expect(BigInt(figures.chongqing!.stats.voucherRedeemedAcrossBorderTotalFen)).toBeGreaterThanOrEqual(200_000n);
  });

  it('subscribes the demo partner to Sichuan\'s events, which the partner reads, manages and replays', async () => {
    const subscribed = await run(SubscribeDocument, 'sc.admin', { url: 'https://partner.example/shuangcheng/webhooks' });
    expect(subscribed.createSichuanWebhookSubscription.secret).toMatch(/^whsec_/);
    const mine = await run(MyWebhooksDocument, 'partner', {});
    expect(mine.sichuan!.webhookSubscriptions.map((subscription) => subscription.id)).toContain(subscribed.createSichuanWebhookSubscription.subscription.id);
    await run(ReplayDocument, 'partner', { id: subscribed.createSichuanWebhookSubscription.subscription.id, from: chinaMidnight(-1) });
    const first = await run(EventsDocument, 'partner', {});
    await run(EventsDocument, 'partner', { after: first.sichuan!.events.pageInfo.endCursor });
  });

  it('creates, lists and revokes a calendar feed as li.wei', async () => {
    const created = await run(NewCalendarFeedDocument, 'li.wei', {});
    expect(created.createCalendarFeed.url).toMatch(/\/calendar\/bookings\.ics\?feed=/);
    const feeds = await run(MyCalendarFeedsDocument, 'li.wei', {});
    expect(feeds.me!.calendarFeeds.map((feed) => feed.id)).toContain(created.createCalendarFeed.feed.id);
    await run(RevokeCalendarFeedDocument, 'li.wei', { id: created.createCalendarFeed.feed.id });
  });

  it('sets chen.jing\'s mail language and turns mail about bookings and requests on', async () => {
    expect((await run(MailSettingsDocument, 'chen.jing', {})).updateMyMailSettings).toEqual({ locale: 'EN', mailNotifications: true });
  });

  it('books a training-required Sichuan instrument with a Chongqing qualification and reads the annual evaluation (chen.jing)', async () => {
    const rules = await run(TrainingRulesDocument, 'chen.jing', {});
    const instrument = rules.sichuan!.instruments.edges[0]!.node;
    expect(instrument.bookingRules).toMatchObject({ trainingRequired: true, acceptsPartnerQualifications: true, autoConfirmQualified: true });
    expect(rules.chongqing!.myQualifications.map((q) => q.model)).toContain(instrument.model);
    const start = new Date(Date.parse(chinaMidnight(3)) + 10 * 3_600_000);
    const booked = await run(BookTrainedDocument, 'chen.jing', {
      id: instrument.id, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), idempotencyKey: randomUUID(),
    });
    expect(booked.bookSichuanInstrument).toMatchObject({ status: 'CONFIRMED', requesterCategory: 'OTHER_PROVINCE' });
    const evaluation = await run(EvaluationDocument, 'li.wei', { from: chinaMidnight(-365), to: chinaMidnight(0) });
    expect(evaluation.sichuan!.evaluation.total.effectiveHours).toBeGreaterThan(0);
    expect(evaluation.chongqing!.evaluation.institutions.length).toBeGreaterThan(0);
    // The next page of Sichuan's instruments, after the first page's last cursor.
    const firstPage = evaluation.sichuan!.evaluation.instruments;
    expect(firstPage.pageInfo.hasNextPage).toBe(evaluation.sichuan!.evaluation.instrumentCount > 20);
    const next = await run(EvaluationInstrumentsDocument, 'li.wei', { from: chinaMidnight(-365), to: chinaMidnight(0), after: firstPage.pageInfo.endCursor });
    expect(next.sichuan!.evaluation.instruments.edges).toHaveLength(Math.min(100, evaluation.sichuan!.evaluation.instrumentCount - 20));
  });

  it('signs in through the demo identity provider as npm start runs it, and sets an affiliation as the platform admin', async () => {
    const redirectUri = 'http://localhost:4000/dashboard';
    const idp = await startDemoOidcProvider({
      clients: [{ clientId: DEMO_IDENTITY_PROVIDER.clientId, clientSecret: DEMO_IDENTITY_PROVIDER.clientSecret, redirectUris: [redirectUri] }],
      accounts: DEMO_IDENTITY_PROVIDER.accounts,
    });
    const platform = await startOwnPlatform('platform-demo-idp', {
      OIDC_PROVIDERS: JSON.stringify([{
        id: DEMO_IDENTITY_PROVIDER.id, name: DEMO_IDENTITY_PROVIDER.name, issuer: idp.issuer, clientId: DEMO_IDENTITY_PROVIDER.clientId,
        clientSecret: DEMO_IDENTITY_PROVIDER.clientSecret, claims: { homeProvince: 'province', institution: 'org', affiliation: 'affiliation' },
      }]),
      OIDC_REDIRECT_URIS: redirectUri,
    });
    const own = await startOwnGateway('gateway-demo-idp', {}, { platform: platform.url });
    try {
      const url = `http://127.0.0.1:${own.port}/graphql`;
      expect((await run(ProvidersDocument, 'anonymous', {}, url)).identityProviders.map((provider) => provider.id)).toEqual(['demo-idp']);
      const begun = await run(BeginSignInDocument, 'anonymous', { redirectUri }, url);
      const callbackUrl = await idp.signIn(begun.beginExternalSignIn.authorizationUrl, 'wang.fang');
      const signedIn = await run(CompleteSignInDocument, 'anonymous', { callbackUrl }, url);
      expect(signedIn.completeExternalSignIn.user).toMatchObject({ displayName: 'Wang Fang', homeProvince: 'CHONGQING', affiliation: 'ACADEMIC', affiliationVerified: false });
      const me = await graphql<{ me: { id: string } }>(url, '{ me { id } }', { token: signedIn.completeExternalSignIn.token });
      const set = await run(SetAffiliationDocument, 'platform.admin', { id: me.body.data!.me.id }, url);
      expect(set.setUserAffiliation).toEqual({ affiliation: 'ACADEMIC', affiliationVerified: true });
    } finally {
      await own.close();
      await platform.close();
      await idp.close();
    }
  });

  it('lets the university portal book for li.wei with her consent, and li.wei see and revoke it (platform.admin sees it too)', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
    const approved = await run(ApprovePortalDocument, 'li.wei', { codeChallenge, state: randomUUID() });
    expect(approved.approvePartnerClient.redirectTo).toContain('code=');
    const exchanged = await run(ExchangeCodeDocument, 'anonymous', { code: approved.approvePartnerClient.code, codeVerifier: verifier });
    const portal = { token: exchanged.exchangeAuthorizationCode.token };

    const dashboard = await run(DashboardDocument, 'li.wei', {});
    const instrumentId = dashboard.sichuan!.instruments.edges[1]!.node.id;
    const free = await run(FreeDocument, 'li.wei', { id: instrumentId, from: chinaMidnight(2), to: chinaMidnight(5) });
    const slot = free.sichuan!.instrument!.availability.find((period) => Date.parse(period.end) - Date.parse(period.start) >= 3_600_000)!;
    const end = new Date(Date.parse(slot.start) + 3_600_000).toISOString();
    const booked = await run(BookForResearcherDocument, portal, { id: instrumentId, start: slot.start, end, idempotencyKey: randomUUID() });
    expect(booked.bookSichuanInstrument).toMatchObject({ channel: 'PARTNER_CLIENT', channelClientId: 'demo-portal' });
    const shown = await run(PortalShowsCardDocument, portal, {});
    expect(shown.me!.sichuanTalentCard).toMatchObject({ valid: true });
    expect(shown.me!.sichuanBookings).toContainEqual({ id: booked.bookSichuanInstrument.id, status: booked.bookSichuanInstrument.status, channel: 'PARTNER_CLIENT' });

    const mine = await run(MyConsentsDocument, 'li.wei', {});
    expect(mine.me!.consents).toContainEqual(expect.objectContaining({ clientId: 'demo-portal', revokedAt: null }));
    expect(mine.me!.sichuanBookings).toContainEqual({ id: booked.bookSichuanInstrument.id, channel: 'PARTNER_CLIENT', channelClientId: 'demo-portal' });
    const admin = await run(PortalConsentsDocument, 'platform.admin', {});
    expect(admin.clientConsents).toContainEqual(expect.objectContaining({ user: { displayName: 'Li Wei' } }));
    const revoked = await run(RevokePortalDocument, 'li.wei', {});
    expect(revoked.revokeConsent.revokedAt).not.toBeNull();
  });

  it('has run every example operation', () => {
    expect([...ran].sort()).toEqual([...EXAMPLE_TEXTS.keys()].sort());
  });
});
