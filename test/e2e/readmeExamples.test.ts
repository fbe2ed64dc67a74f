import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, Kind, parse } from 'graphql';
import {
  AddDocument, AuditDocument, BeginSignInDocument, BookDocument, CatalogueDocument, CompleteSignInDocument, ProvidersDocument, SetAffiliationDocument, ConfirmDocument, DashboardDocument, FiguresDocument, FreeDocument, IssueDocument,
  JointDocument, JointLabDocument, LogoutDocument, MyBookingsDocument, MyCardDocument, QueueDocument, RefreshDocument, RenewDocument, RetireDocument,
  RevokeCardDocument, RevokeDocument, SearchDocument, VerifyDocument,
} from '../../gateway/api/examples/examples.generated';
import { exampleFiles } from '../../scripts/codegen/typedOperations';
import { CallerTokens, type Caller } from '../support/callers';
import { startDemoOidcProvider } from '../../shared/src/testing/demoOidcProvider';
import { DEMO_IDENTITY_PROVIDER } from '../../subgraphs/platform/src';
import { startOwnGateway, startOwnPlatform } from '../support/ownServices';
import { gateway, graphql } from '../support/system';

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
async function run<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, as: Caller, variables: TVariables, gatewayUrl?: string): Promise<TResult> {
  const operationName = getOperationAST(document)!.name!.value;
  const text = EXAMPLE_TEXTS.get(operationName);
  if (!text) throw new Error(`no example file holds the operation ${operationName}`);
  const token = await tokens.tokenOf(as);
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

  it('has run every example operation', () => {
    expect([...ran].sort()).toEqual([...EXAMPLE_TEXTS.keys()].sort());
  });
});
