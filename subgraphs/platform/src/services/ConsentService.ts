import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  DELEGABLE_SCOPES, DomainError, ErrorCode, ROLE_SCOPES, badUserInput, forbidden, input, isDelegableScope, isUuid, notFound, parseInput, type Viewer,
} from '../../../../shared/src';
import { accountInput } from '../admin/accountInput';
import type { AuthorizationCodeEntity } from '../entities/AuthorizationCodeEntity';
import { ClientConsentEntity } from '../entities/ClientConsentEntity';
import type { PartnerClientEntity } from '../entities/PartnerClientEntity';
import type { UserEntity } from '../entities/UserEntity';
import type { ClientConsentRepository, ConsentFilter } from '../repositories/ClientConsentRepository';
import type { PartnerClientRepository } from '../repositories/PartnerClientRepository';
import type { UserRepository } from '../repositories/UserRepository';
import { statusOf } from './PartnerClientService';
import { claimsOf } from './SessionService';
import type { IssuedToken, TokenIssuer } from './TokenIssuer';

/** A code is exchanged by the client's server right after the browser comes back: two minutes is plenty. */
export const AUTHORIZATION_CODE_TTL_SECONDS = 120;

const approvalInput = z.object({
  clientId: accountInput.name,
  redirectUri: input.text(1, 2048),
  scopes: z.array(z.string()).min(1, { message: 'name at least one scope the client may use for you' }).max(10)
    .transform((scopes) => [...new Set(scopes)].sort()),
  // RFC 7636: BASE64URL(SHA-256(verifier)) is 43 characters; a verifier itself is 43–128.
  codeChallenge: z.string().regex(/^[A-Za-z0-9_-]{43,128}$/, { message: 'expected BASE64URL(SHA-256(code_verifier)): 43–128 letters, digits, "-" or "_"' }),
  codeChallengeMethod: z.literal('S256', { message: 'only S256 is accepted (plain PKCE protects nothing once the code leaks)' }),
  state: input.text(1, 500).nullish(),
});

export type ClientApprovalRequest = z.input<typeof approvalInput>;

export interface ClientApproval {
  readonly code: string;
  readonly state: string | null;
  /** The registered redirect URI with `code` and `state` added: where the person's browser goes next. */
  readonly redirectTo: string;
  readonly expiresAt: Date;
  readonly consent: ClientConsentEntity;
}

export interface DelegatedToken extends IssuedToken {
  readonly scopes: readonly string[];
  readonly consent: ClientConsentEntity;
}

/** Why a code exchange is refused, as `extensions.reason`. */
type ExchangeRefusal = 'CODE_UNKNOWN' | 'CODE_EXPIRED' | 'CODE_USED' | 'REDIRECT_URI_MISMATCH' | 'PKCE_MISMATCH' | 'CONSENT_REVOKED' | 'ACCOUNT_DISABLED';

const refused = (reason: ExchangeRefusal, message: string) => new DomainError(ErrorCode.UNAUTHENTICATED, message, { reason });

/**
 * Partner clients acting for people, by the authorization-code grant with PKCE the platform itself issues: a
 * signed-in person approves a client's request for named scopes, which records their consent and gives a one-time
 * code bound to the client, its redirect URI and the PKCE challenge; the client's server exchanges the code with
 * its own secret and the verifier for a short-lived token naming both the person (`sub`) and the client (`act`).
 * The token's scopes are those the person holds, the client is registered for and the consent names, all three;
 * each province narrows them further to what it grants the client. People list and revoke their consents; a
 * revoked consent's tokens are refused here at once and in every province within CLIENT_STATUS_MAX_AGE_SECONDS.
 */
export class ConsentService {
  constructor(
    private readonly consents: ClientConsentRepository,
    private readonly clients: PartnerClientRepository,
    private readonly users: UserRepository,
    private readonly delegatedTokens: TokenIssuer,
    /** The longest a delegated token lives (`DELEGATED_TOKEN_TTL_SECONDS`): revocations older than it need no telling. */
    private readonly delegatedTtlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The person approves: consent recorded (or kept), and a code for the client. */
  async approve(viewer: Viewer, request: ClientApprovalRequest): Promise<ClientApproval> {
    const person = requireOwnSession(viewer, 'approve a partner client');
    const valid = parseInput(approvalInput, request, 'input');
    const client = await this.clients.findByClientId(valid.clientId);
    if (!client) throw notFound(`No partner client ${valid.clientId} is registered; check the client id the application sent you with.`, { argument: 'clientId' });
    const status = statusOf(client);
    if (status !== 'ACTIVE') throw forbidden(`Partner client ${client.clientId} is ${status.toLowerCase()} and cannot act for anyone now.`, { reason: `CLIENT_${status}` });
    if (!client.redirectUris.includes(valid.redirectUri)) {
      throw badUserInput(`${valid.redirectUri.slice(0, 200)} is not a redirect URI partner client ${client.clientId} registered; the code goes only to one it did.`, {
        argument: 'redirectUri', reason: 'REDIRECT_URI_NOT_REGISTERED',
      });
    }
    const user = await this.users.findById(person.subject);
    if (!user || user.disabled) throw forbidden('This account is disabled.');
    this.checkScopes(valid.scopes, client, user);

    const now = this.now();
    const code = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + AUTHORIZATION_CODE_TTL_SECONDS * 1000);
    const consent = await this.consents.approve(
      Object.assign(new ClientConsentEntity(), {
        id: randomUUID(), userId: user.id, clientId: client.clientId, scopes: valid.scopes, grantedAt: now, revokedAt: null, revokedReason: null, lastUsedAt: null,
      }),
      { codeHash: hashCode(code), consentId: '', clientId: client.clientId, userId: user.id, redirectUri: valid.redirectUri, codeChallenge: valid.codeChallenge,
        scopes: valid.scopes, expiresAt, usedAt: null } satisfies AuthorizationCodeEntity,
      now,
    );
    const redirectTo = new URL(valid.redirectUri);
    redirectTo.searchParams.set('code', code);
    if (valid.state) redirectTo.searchParams.set('state', valid.state);
    return { code, state: valid.state ?? null, redirectTo: redirectTo.toString(), expiresAt, consent };
  }

  /**
   * The client's server exchanges a code (the client already authenticated with its secret). A code works once:
   * presenting it again revokes the consent it came from (RFC 6749 §4.1.2), so a stolen copy ends the client's
   * access for that person until they approve again.
   */
  async exchange(client: PartnerClientEntity, code: string, redirectUri: string, codeVerifier: string): Promise<DelegatedToken> {
    const unknown = () => refused('CODE_UNKNOWN', 'The authorization code is not one the platform issued to this client; ask the person to approve again.');
    if (code.length === 0 || code.length > 256) throw unknown();
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(codeVerifier)) {
      throw badUserInput('codeVerifier must be the 43–128 character PKCE verifier (letters, digits, "-", ".", "_", "~") whose S256 challenge was sent with the approval.', { argument: 'codeVerifier' });
    }
    const now = this.now();
    const codeHash = hashCode(code);
    const issued = await this.consents.findCode(codeHash);
    if (!issued || issued.clientId !== client.clientId) throw unknown();
    if (issued.usedAt === null && issued.expiresAt.getTime() <= now.getTime()) {
      throw refused('CODE_EXPIRED', `The authorization code expired at ${issued.expiresAt.toISOString()} (codes last ${AUTHORIZATION_CODE_TTL_SECONDS} seconds); ask the person to approve again.`);
    }
    if (issued.redirectUri !== redirectUri) {
      throw refused('REDIRECT_URI_MISMATCH', 'redirectUri must be exactly the redirect URI the approval named.');
    }
    if (!pkceMatches(codeVerifier, issued.codeChallenge)) {
      throw refused('PKCE_MISMATCH', 'codeVerifier does not match the code challenge sent with the approval.');
    }
    const redemption = await this.consents.redeem(codeHash, now);
    if (redemption.kind !== 'redeemed') {
      await this.consents.revoke({ id: issued.consentId }, 'an authorization code was presented twice', now);
      throw refused('CODE_USED', 'The authorization code was already used; a code works once. The consent it came from is revoked: ask the person to approve again.');
    }
    const consent = await this.consents.findById(issued.consentId);
    if (!consent || consent.revokedAt) throw refused('CONSENT_REVOKED', 'The person revoked this consent; ask them to approve again.');
    const user = await this.users.findById(issued.userId);
    if (!user || user.disabled) throw refused('ACCOUNT_DISABLED', 'The person\'s account is disabled.');
    const scopes = consent.scopes.filter((scope) => client.scopes.includes(scope) && personScopes(user).has(scope));
    if (scopes.length === 0) throw forbidden('None of the consented scopes is still held by both the person and the client.');
    await this.consents.touch(consent.id, now);
    const token = this.delegatedTokens.issue(
      {
        ...claimsOf(user),
        // The person's researcher role only: a client acting for an admin never acts as one.
        roles: user.roles.filter((role) => role === 'researcher'),
        scope: scopes.join(' '),
        quota: { perMinute: client.requestsPerMinute, perDay: client.requestsPerDay },
        act: { sub: `client:${client.clientId}` },
        cid: consent.id,
      },
      client.expiresAt,
    );
    return { ...token, scopes, consent };
  }

  /** The person's own consents (a platform admin may name anyone's through `list`). */
  listOwn(viewer: Viewer, userId: string): Promise<ClientConsentEntity[]> {
    const person = requireOwnSession(viewer, 'see consents');
    if (person.subject !== userId && !person.roles.includes('platform_admin')) throw forbidden('Only the person themselves or a platform admin sees their consents.');
    return this.consents.find({ userId });
  }

  /** For platform admins (the SDL's policy): consents by person, by client or both. */
  list(filter: ConsentFilter): Promise<ClientConsentEntity[]> {
    if (filter.userId !== undefined && !isUuid(filter.userId)) throw badUserInput('userId must be a user id (a UUID).', { argument: 'userId' });
    return this.consents.find(filter);
  }

  /** The person withdraws a client's right to act for them: its tokens are refused from now on. */
  async revoke(viewer: Viewer, clientId: string): Promise<ClientConsentEntity> {
    const person = requireOwnSession(viewer, 'revoke a consent');
    const id = parseInput(accountInput.name, clientId, 'clientId');
    const consent = await this.consents.revoke({ userId: person.subject, clientId: id }, 'revoked by the person', this.now());
    if (!consent) throw notFound(`You have given partner client ${id} no consent that is still active.`, { argument: 'clientId' });
    return consent;
  }

  /** Consents revoked while tokens issued under them may still be unexpired, for the services' admission. */
  revokedRecently(): Promise<string[]> {
    // A minute more than the longest lifetime covers the verifiers' clock tolerance.
    return this.consents.revokedSince(new Date(this.now().getTime() - (this.delegatedTtlSeconds + 60) * 1000));
  }

  private checkScopes(scopes: readonly string[], client: PartnerClientEntity, user: UserEntity): void {
    const held = personScopes(user);
    for (const scope of scopes) {
      if (!isDelegableScope(scope)) {
        throw badUserInput(`${scope.slice(0, 60)} is not a scope a client can use for a person; those are ${DELEGABLE_SCOPES.join(', ')}.`, { argument: 'scopes' });
      }
      if (!client.scopes.includes(scope)) {
        throw badUserInput(`Partner client ${client.clientId} is not registered for ${scope}; it may ask only for ${client.scopes.filter(isDelegableScope).join(', ') || 'nothing on your behalf'}.`, { argument: 'scopes' });
      }
      if (!held.has(scope)) throw forbidden(`You do not hold ${scope} yourself, so you cannot let a client use it for you.`);
    }
  }
}

/** A person signed in themselves: a client acting for them may neither approve clients nor manage consents. */
export function requireOwnSession(viewer: Viewer, action: string): Viewer {
  if (viewer.kind !== 'user' || viewer.delegation) {
    throw forbidden(`Only a person signed in themselves may ${action}; a partner client's token, or one it holds for a person, may not.`, { reason: 'NOT_OWN_SESSION' });
  }
  return viewer;
}

const personScopes = (user: UserEntity): ReadonlySet<string> => new Set(user.roles.flatMap((role) => ROLE_SCOPES[role]));

const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

/** RFC 7636 S256: BASE64URL(SHA-256(ASCII(code_verifier))) equals the challenge. */
function pkceMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge;
}
