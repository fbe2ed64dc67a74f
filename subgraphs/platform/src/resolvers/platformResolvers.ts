import type { GraphQLResolverMap } from '../../../../shared/src';
import {
  DateTimeScalar, PROVINCES, PROVINCE_KEYS, badUserInput, cardCheckKey, parseCardCode, decodeGlobalId, forbidden, isUuid, normaliseCardNumber, provinceByCardNumber, unauthenticated,
  type AffiliationKind, type EntityKind, type ProvinceKey, type Role, type Viewer,
} from '../../../../shared/src';
import type { UserEntity } from '../entities/UserEntity';
import type { PlatformContext } from '../PlatformContext';
import { requireOwnSession } from '../services/ConsentService';
import type { Session } from '../services/SessionService';
import { consentMutations, consentQueries, consentTypeResolvers, userConsents } from './consentResolvers';
import type { MailRecipient } from '../services/MailSettingsService';
import { partnerClientMutations, partnerClientQueries, partnerClientTypeResolvers } from './partnerClientResolvers';


/** The kinds of global id the platform's top-level lookups route to their owner. */
type RoutedKind = Extract<EntityKind, 'instrument' | 'lab' | 'talentcard' | 'booking'>;

/** GraphQL type name of each routed kind of global id, per province prefix: `sc:lab:…` → `SichuanLab`. */
const TYPE_SUFFIX: Record<RoutedKind, string> = {
  instrument: 'Instrument',
  lab: 'Lab',
  talentcard: 'TalentCard',
  booking: 'Booking',
};

/** Only decodes the prefix: the owning province answers every field, `id` included, or NOT_FOUND. */
function lookup(kind: RoutedKind) {
  return (_: unknown, { id }: { id: string }) => {
    const { province } = decodeGlobalId(id, kind);
    return { __typename: `${province.typePrefix}${TYPE_SUFFIX[kind]}`, ref: id };
  };
}

const CARD_NUMBER_EXAMPLES = PROVINCE_KEYS.map((key) => PROVINCES[key])
  .map((province) => `${province.cardNumberPrefix}-2024-000128 (${province.cardName}, ${province.nameEn})`)
  .join(' or ');
const CODE_EXAMPLES = PROVINCE_KEYS.map((key) => `${PROVINCES[key].idPrefix.toUpperCase()}-7K3M9-QXD2F`).join(' or ');

/**
 * Routes a check to the card's issuer: a holder's code by its prefix (the issuer uses it up and names the holder),
 * else a card number by its prefix (validity and tier only). The issuer and the other province answer the rest.
 */
function verifyTalentCard(_: unknown, args: { cardNumber?: string | null; code?: string | null }, { viewer }: PlatformContext) {
  if (!viewer) throw unauthenticated('Checking a talent card needs a token: sign in (or use your client token) and send it as "Authorization: Bearer <token>".');
  const number = args.cardNumber == null ? null : normaliseCardNumber(args.cardNumber);
  const byNumber = number === null ? null : provinceByCardNumber(number);
  if (number !== null && !byNumber) {
    throw badUserInput(`"${number.slice(0, 40)}" is not a talent card number either province issues; numbers look like ${CARD_NUMBER_EXAMPLES}.`, {
      argument: 'cardNumber',
    });
  }
  if (args.code == null) {
    if (!byNumber) throw badUserInput('Give the holder\'s verification code (code), the card number (cardNumber), or both.', { argument: 'code' });
    return { __typename: `${byNumber.typePrefix}CardVerification`, cardNumber: number };
  }
  const code = parseCardCode(args.code);
  if (!code) {
    throw badUserInput(`"${args.code.slice(0, 20)}" is not a verification code: the holder's code reads like ${CODE_EXAMPLES}.`, { argument: 'code' });
  }
  if (byNumber && byNumber.key !== code.issuer.key) {
    throw badUserInput(`The code is for a ${code.issuer.cardName} and the number of a ${byNumber.cardName}: they must be of the same card.`, {
      argument: 'code', reason: 'CODE_OF_ANOTHER_CARD',
    });
  }
  return { __typename: `${code.issuer.typePrefix}CodeVerification`, check: cardCheckKey(code.code, number) };
}

/** The viewer of a field the SDL marks @authenticated (checked before the resolver runs). */
function signedIn(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated('Sign in first.');
  return viewer;
}

function authPayload({ token, expiresAt, refreshToken, refreshExpiresAt, user }: Session, context: PlatformContext) {
  context.signedInNow.add(user.id);
  return { token, tokenType: 'Bearer', expiresAt, refreshToken, refreshExpiresAt, user };
}

interface RegistrationArgs {
  username: string; email: string; password: string; displayName: string;
  homeProvince?: string | null; institution?: string | null; affiliation?: string | null; locale?: string | null;
}
interface ExternalStartArgs { provider: string; redirectUri: string }
interface ExternalCallbackArgs { provider: string; callbackUrl: string }

/** A person's own data: answered to the person and to platform admins, null to anyone else (a province's staff see display names only). */
function ownOnly<T>(read: (user: UserEntity, context: PlatformContext) => T) {
  return (user: UserEntity, _: unknown, context: PlatformContext): T | null => (mayReadPersonal(context, user) ? read(user, context) : null);
}

function mayReadPersonal({ viewer, signedInNow }: PlatformContext, user: UserEntity): boolean {
  if (signedInNow.has(user.id)) return true;
  // A client acting for the person sees no more of them than a province's staff do.
  return !!viewer && viewer.kind === 'user' && !viewer.delegation && (viewer.subject === user.id || viewer.roles.includes('platform_admin'));
}

const byTypename = { __resolveType: (value: { __typename: string }) => value.__typename };

/**
 * `id` of the province stubs, for a caller asking this subgraph directly: the id asked for, unchecked. Through
 * the gateway `id` is the owner's answer (it is @external here), so only the owner says whether it exists.
 */
const stubIds = Object.fromEntries(
  PROVINCE_KEYS.flatMap((key) => Object.values(TYPE_SUFFIX).map((suffix) => [`${PROVINCES[key].typePrefix}${suffix}`, { id: (stub: { ref: string }) => stub.ref }])),
);

export const platformResolvers: GraphQLResolverMap<PlatformContext> = {
  DateTime: DateTimeScalar,
  Query: {
    me: (_, __, { viewer, loaders }) => (viewer?.kind === 'user' ? loaders.users.load(viewer.subject) : null),
    instrument: lookup('instrument'),
    lab: lookup('lab'),
    talentCard: (parent, args: { id: string }, context) => {
      if (!context.viewer) throw unauthenticated('Talent cards are personal data: sign in to look one up.');
      return lookup('talentcard')(parent, args);
    },
    verifyTalentCard,
    ...partnerClientQueries,
    ...consentQueries,
    calendarFeedAccess: (_, { secret }: { secret: string }, { services, fromGateway }) => {
      if (!fromGateway) throw forbidden('calendarFeedAccess is answered only to the gateway.');
      return services.calendarFeeds.exchange(secret);
    },
    mailRecipients: (_, { ids }: { ids: string[] }, { services, fromGateway }) => {
      if (!fromGateway) throw forbidden('mailRecipients is answered only to the gateway and the services.');
      return services.mailSettings.recipients(ids);
    },
    identityProviders: (_, __, { services }) => services.externalSignIn.providers().map(({ id, name }) => ({ id, name })),
  },
  Mutation: {
    login: async (_, { username, password }: { username: string; password: string }, context) =>
      authPayload(await context.services.auth.login(username, password, context.clientAddress), context),
    refreshSession: async (_, { refreshToken }: { refreshToken: string }, context) =>
      authPayload(await context.services.sessions.refresh(refreshToken), context),
    logout: (_, { refreshToken }: { refreshToken: string }, { services }) => services.sessions.logout(refreshToken),
    revokeUserSessions: (_, { userId }: { userId: string }, { services, viewer }) => services.sessions.revokeUserSessions(viewer, userId),
    issueClientToken: async (_, { clientId, clientSecret }: { clientId: string; clientSecret: string }, { services, clientAddress }) => {
      const { token, expiresAt, scopes } = await services.auth.issueClientToken(clientId, clientSecret, clientAddress);
      return { token, tokenType: 'Bearer', expiresAt, scopes };
    },
    ...partnerClientMutations,
    ...consentMutations,
    createCalendarFeed: (_, __, { services, viewer }) => services.calendarFeeds.create(requireOwnSession(signedIn(viewer), 'create a calendar feed')),
    revokeCalendarFeed: (_, { id }: { id: string }, { services, viewer }) => services.calendarFeeds.revoke(requireOwnSession(signedIn(viewer), 'revoke a calendar feed'), id),
    beginExternalSignIn: (_, { provider, redirectUri }: ExternalStartArgs, { services, viewer }) =>
      services.externalSignIn.begin(provider, redirectUri, viewer, 'sign_in'),
    completeExternalSignIn: async (_, { provider, callbackUrl }: ExternalCallbackArgs, context) =>
      authPayload(await context.services.externalSignIn.signIn(provider, callbackUrl), context),
    beginExternalIdentityLink: (_, { provider, redirectUri }: ExternalStartArgs, { services, viewer }) =>
      services.externalSignIn.begin(provider, redirectUri, viewer, 'link'),
    completeExternalIdentityLink: (_, { provider, callbackUrl }: ExternalCallbackArgs, { services, viewer }) =>
      services.externalSignIn.link(provider, callbackUrl, viewer),
    unlinkExternalIdentity: (_, { provider }: { provider: string }, { services, viewer }) => services.externalSignIn.unlink(provider, viewer),
    register: (_, { input }: { input: RegistrationArgs }, { services, clientAddress }) =>
      services.accounts.register({
        username: input.username,
        email: input.email,
        password: input.password,
        displayName: input.displayName,
        homeProvince: input.homeProvince ? (input.homeProvince.toLowerCase() as ProvinceKey) : null,
        institution: input.institution ?? null,
        affiliation: input.affiliation ? (input.affiliation.toLowerCase() as AffiliationKind) : null,
        locale: input.locale === 'EN' ? 'en' : 'zh',
      }, clientAddress),
    verifyEmail: (_, { token }: { token: string }, { services }) => services.accounts.verifyEmail(token),
    requestPasswordReset: (_, { email }: { email: string }, { services, clientAddress }) => services.accounts.requestPasswordReset(email, clientAddress),
    resetPassword: (_, { token, newPassword }: { token: string; newPassword: string }, { services }) => services.accounts.resetPassword(token, newPassword),
    updateMyMailSettings: (_, { input }: { input: { locale?: 'ZH' | 'EN' | null; notifications?: boolean | null } }, { services, viewer }) =>
      services.mailSettings.update(viewer, {
        ...(input.locale ? { locale: input.locale === 'EN' ? 'en' : 'zh' } : {}),
        ...(typeof input.notifications === 'boolean' ? { mailNotifications: input.notifications } : {}),
      }),
    setUserAffiliation: (_, args: { userId: string; institution?: string | null; affiliation?: string | null }, { services, viewer }) =>
      services.affiliations.set(viewer, args.userId, args.institution ?? null, args.affiliation ? (args.affiliation.toLowerCase() as AffiliationKind) : null),
  },
  MailRecipient: { locale: (recipient: MailRecipient) => recipient.locale.toUpperCase() },
  ...partnerClientTypeResolvers,
  ...consentTypeResolvers,
  User: {
    __resolveReference: ({ id }: { id: string }, { loaders }: PlatformContext) => (isUuid(id) ? loaders.users.load(id) : null),
    homeProvince: (user: UserEntity) => (user.homeProvince ? PROVINCES[user.homeProvince].code : null),
    roles: (user: UserEntity) => user.roles.map((role: Role) => role.toUpperCase()),
    calendarFeeds: (user: UserEntity, _: unknown, { services, viewer }: PlatformContext) => {
      if (viewer?.subject !== user.id || viewer.delegation) throw forbidden('Only the person themselves, signed in themselves, sees their calendar feeds.');
      return services.calendarFeeds.list(viewer);
    },
    institution: ownOnly((user) => user.institution),
    affiliation: ownOnly((user) => user.affiliation?.toUpperCase() ?? null),
    affiliationVerified: ownOnly((user) => user.affiliationVerified),
    email: ownOnly((user) => user.email),
    emailVerified: ownOnly((user) => user.emailVerifiedAt !== null),
    locale: ownOnly((user) => user.locale.toUpperCase()),
    mailNotifications: ownOnly((user) => user.mailNotifications),
    externalIdentities: ownOnly((user, { services }) => services.externalSignIn.listLinks(user.id)),
    consents: userConsents,
  },
  ...stubIds,
  Instrument: byTypename,
  Lab: byTypename,
  TalentCard: byTypename,
  Booking: byTypename,
  TalentCardVerification: byTypename,
};
