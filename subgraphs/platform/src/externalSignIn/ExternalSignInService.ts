import { createHash, randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, badUserInput, conflict, forbidden, unauthenticated, type Viewer } from '../../../../shared/src';
import { UserEntity } from '../entities/UserEntity';
import { requireOwnSession } from '../services/ConsentService';
import type { ExternalIdentity, ExternalIdentityRepository, ExternalIdentityTransaction } from '../repositories/ExternalIdentityRepository';
import type { SignInStateRepository } from '../repositories/SignInStateRepository';
import type { Session, SessionService } from '../services/SessionService';
import { mapClaims, type MappedAttributes } from './claimMapping';
import type { OidcRelyingParty } from './OidcRelyingParty';
import type { ExternalProviderConfig, ExternalSignInConfig } from './providerConfig';

/** Signing in (or linking an identity) is two calls; what the first tells the client. */
export interface ExternalSignInStart {
  /** Send the person's browser here; the provider sends it back to the redirect URI with `code` and `state`. */
  readonly authorizationUrl: string;
  /** The state in the URL; the client may keep it to match the callback to this sign-in. */
  readonly state: string;
  readonly expiresAt: Date;
}

type Purpose = 'sign_in' | 'link';

const MAX_CALLBACK_LENGTH = 4096;
const MAX_STATE_LENGTH = 256;

/**
 * One-key login through the identity providers people already have (OpenID Connect, authorization code with PKCE).
 * What the provider's browser round trip must match (state, nonce, PKCE verifier, redirect URI) stays in the
 * platform's database, keyed by the state's hash, single use and short-lived, so any platform replica completes a
 * sign-in another began. A verified ID token then signs the person in exactly like a password would: a session of
 * the platform's own tokens. The first sign-in of a subject creates its account from the mapped claims; a signed-in
 * person links a provider identity to the account they have. An account is never joined to a provider identity
 * because an e-mail address matches: whoever controls an address at some provider would take the account over.
 */
export class ExternalSignInService {
  constructor(
    private readonly config: ExternalSignInConfig,
    private readonly relyingParty: OidcRelyingParty,
    private readonly states: SignInStateRepository,
    private readonly identities: ExternalIdentityRepository,
    private readonly sessions: SessionService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  providers(): readonly ExternalProviderConfig[] {
    return this.config.providers;
  }

  /** For `link`, the viewer must be a person (checked first: a caller who may not link learns nothing about providers). */
  async begin(providerId: string, redirectUri: string, viewer: Viewer | null, purpose: Purpose): Promise<ExternalSignInStart> {
    const userId = purpose === 'link' ? signedInUser(viewer, 'Linking an identity') : null;
    const provider = this.provider(providerId);
    if (!this.config.redirectUris.includes(redirectUri)) {
      throw badUserInput(`redirectUri ${JSON.stringify(redirectUri.slice(0, 200))} is not one this platform sends people back to; use one of: ${this.config.redirectUris.join(', ')}.`, {
        argument: 'redirectUri',
      });
    }
    const checks = this.relyingParty.randomChecks(redirectUri);
    const authorizationUrl = await this.relyingParty.authorizationUrl(provider, checks);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.config.stateTtlSeconds * 1000);
    await this.states.purgeExpired(now);
    await this.states.insert({ stateHash: hashState(checks.state), provider: provider.id, purpose, userId, redirectUri, nonce: checks.nonce, codeVerifier: checks.codeVerifier, expiresAt });
    return { authorizationUrl, state: checks.state, expiresAt };
  }

  /** Completes a sign-in: the person's session, whether the provider's subject was known or is new. */
  async signIn(providerId: string, callbackUrl: string): Promise<Session> {
    const { provider, claims } = await this.verifiedClaims(providerId, callbackUrl, null, 'sign_in');
    const subject = claims['sub'] as string;
    const known = await this.identities.findUserBySubject(provider.id, subject);
    if (known) {
      if (known.disabled) throw unauthenticated('This account is disabled; ask a platform admin.');
      await this.identities.recordSignIn(provider.id, subject, this.now());
      return this.sessions.start(known);
    }
    const created = await this.identities.transaction((tx) => this.createAccount(tx, provider, subject, mapClaims(provider, claims)));
    return this.sessions.start(created);
  }

  /** Completes a link: the provider identity now signs the viewer in too. */
  async link(providerId: string, callbackUrl: string, viewer: Viewer | null): Promise<ExternalIdentity> {
    const userId = signedInUser(viewer, 'Linking an identity');
    const { provider, claims } = await this.verifiedClaims(providerId, callbackUrl, userId, 'link');
    const subject = claims['sub'] as string;
    const at = this.now();
    const linked = await this.identities.transaction(async (tx) => {
      const owner = await tx.findUserBySubject(provider.id, subject);
      if (owner) {
        throw conflict(owner.id === userId
          ? `This ${provider.name} identity is already linked to your account.`
          : `This ${provider.name} identity is linked to another account; sign in with it and unlink it there first.`, { provider: provider.id });
      }
      return tx.link(userId, provider.id, subject, at);
    });
    if (!linked) throw conflict(`Your account is already linked to another ${provider.name} identity; unlink it first.`, { provider: provider.id });
    return { provider: provider.id, subject, linkedAt: at, lastSignInAt: at };
  }

  /** The identities linked to `userId`: the resolver lets only the person and platform admins ask. */
  listLinks(userId: string): Promise<ExternalIdentity[]> {
    return this.identities.listOfUser(userId);
  }

  async unlink(providerId: string, viewer: Viewer | null): Promise<boolean> {
    const userId = signedInUser(viewer, 'Unlinking an identity');
    const outcome = await this.identities.unlink(userId, providerId.slice(0, 64));
    switch (outcome) {
      case 'unlinked':
        return true;
      case 'not_linked':
        throw badUserInput(`Your account has no identity linked at provider ${JSON.stringify(providerId.slice(0, 64))}.`, { argument: 'provider' });
      case 'only_way_in':
        throw conflict('This identity is the only way into your account (it has no password): set a password (resetPassword) or link another provider first.');
      default: {
        const unhandled: never = outcome;
        throw new Error(`unhandled unlink outcome ${String(unhandled)}`);
      }
    }
  }

  /** Takes the begun sign-in the callback's state names (once only), then has the provider's answer verified. */
  private async verifiedClaims(providerId: string, callbackUrl: string, userId: string | null, purpose: Purpose) {
    const provider = this.provider(providerId);
    const callback = parseCallback(callbackUrl);
    const state = callback.searchParams.get('state');
    if (!state || state.length > MAX_STATE_LENGTH) {
      throw badUserInput('callbackUrl carries no state: pass the whole address the provider sent the browser back to.', { argument: 'callbackUrl' });
    }
    const pending = await this.states.take(hashState(state));
    if (!pending || pending.provider !== provider.id || pending.purpose !== purpose || pending.userId !== userId) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, `This sign-in is not one begun here with ${provider.name}, or it was already completed; start it again.`, {
        reason: 'STATE_UNKNOWN',
        provider: provider.id,
      });
    }
    if (pending.expiresAt.getTime() <= this.now().getTime()) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This sign-in took too long and has expired; start it again.', { reason: 'STATE_EXPIRED', provider: provider.id });
    }
    const expected = new URL(pending.redirectUri);
    if (callback.origin !== expected.origin || callback.pathname !== expected.pathname) {
      throw badUserInput(`callbackUrl is not at the redirect URI this sign-in began with (${pending.redirectUri}).`, { argument: 'callbackUrl' });
    }
    const claims = await this.relyingParty.exchange(provider, callback, { ...pending, state });
    if (typeof claims['sub'] !== 'string' || claims['sub'].length === 0 || claims['sub'].length > 255) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, `${provider.name} sent an ID token without a usable subject; start the sign-in again.`, {
        reason: 'RESPONSE_REJECTED',
        provider: provider.id,
      });
    }
    return { provider, claims };
  }

  /** The account of a first sign-in, with its link, in the caller's transaction. */
  private async createAccount(tx: ExternalIdentityTransaction, provider: ExternalProviderConfig, subject: string, mapped: MappedAttributes): Promise<UserEntity> {
    const raced = await tx.findUserBySubject(provider.id, subject);
    if (raced) return raced;
    const now = this.now();
    // The address is kept only when the provider vouches for it and no account has it: it is where reset mail goes.
    const email = mapped.email && mapped.emailVerified && !(await tx.isEmailTaken(mapped.email)) ? mapped.email : null;
    const user = Object.assign(new UserEntity(), {
      id: randomUUID(),
      username: await uniqueUsername(tx, provider.id, subject),
      displayName: mapped.displayName ?? `${provider.name} user`,
      homeProvince: mapped.homeProvince,
      roles: ['researcher'],
      passwordHash: null,
      disabled: false,
      email,
      emailVerifiedAt: email ? now : null,
      requiresEmailVerification: false,
      locale: 'zh',
      institution: mapped.institution,
      affiliation: mapped.affiliation,
      affiliationVerified: mapped.affiliationVerified,
    } satisfies Partial<UserEntity>);
    await tx.insertUser(user);
    if (!(await tx.link(user.id, provider.id, subject, now))) {
      throw conflict(`This ${provider.name} identity was linked at the same moment by another sign-in; try again.`);
    }
    return user;
  }

  private provider(id: string): ExternalProviderConfig {
    const provider = this.config.providers.find((candidate) => candidate.id === id);
    if (provider) return provider;
    const known = this.config.providers.map((candidate) => candidate.id);
    throw badUserInput(
      known.length > 0
        ? `Unknown identity provider ${JSON.stringify(id.slice(0, 64))}; this platform signs in through: ${known.join(', ')}.`
        : 'This platform has no identity providers configured; sign in with your username and password.',
      { argument: 'provider' },
    );
  }
}

/** A person's own account is what these change: the directive-free fields (link) rely on this check alone. */
function signedInUser(viewer: Viewer | null, what: string): string {
  if (!viewer) throw unauthenticated(`${what} needs you signed in: send your token as "Authorization: Bearer <token>".`);
  if (viewer.kind !== 'user') throw forbidden(`${what} is for people: a partner client has no account to link.`);
  // Not the directives' check (these fields carry none): a client acting for the person must not link a sign-in to their account.
  return requireOwnSession(viewer, 'link or unlink the sign-in identities of an account').subject;
}

function parseCallback(callbackUrl: string): URL {
  if (callbackUrl.length > MAX_CALLBACK_LENGTH || !URL.canParse(callbackUrl)) {
    throw badUserInput(`callbackUrl must be the absolute address the provider sent the browser back to (at most ${MAX_CALLBACK_LENGTH} characters).`, {
      argument: 'callbackUrl',
    });
  }
  return new URL(callbackUrl);
}

function hashState(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** `<provider>.<10 hex of the subject's hash>`, longer only on the rare clash: stable, and says where the account came from. */
async function uniqueUsername(tx: ExternalIdentityTransaction, providerId: string, subject: string): Promise<string> {
  const digest = createHash('sha256').update(`${providerId}\n${subject}`, 'utf8').digest('hex');
  for (const length of [10, 16, 24]) {
    const candidate = `${providerId}.${digest.slice(0, length)}`;
    if (!(await tx.isUsernameTaken(candidate))) return candidate;
  }
  return `${providerId}.${randomUUID().replace(/-/g, '')}`.slice(0, 64);
}
