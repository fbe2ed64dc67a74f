import { GraphQLError } from 'graphql';
import { ErrorCode, badUserInput, isDelegableScope, unauthenticated } from '../../../../shared/src';
import type { PartnerClientEntity } from '../entities/PartnerClientEntity';
import type { ConsentService, DelegatedToken } from './ConsentService';
import type { UserRepository } from '../repositories/UserRepository';
import { addressBlock } from '../requests/platformClientAddress';
import type { LoginLimit, LoginThrottle } from './LoginThrottle';
import { dummyHash, verifyPassword } from './passwords';
import { statusOf, type PartnerClientService } from './PartnerClientService';
import type { Session, SessionService } from './SessionService';
import type { IssuedToken, TokenIssuer } from './TokenIssuer';

const MAX_CREDENTIAL_LENGTH = 256;
const WRONG_LOGIN = 'Wrong username or password.';

/** Login for people and the client-credentials grant for partner systems, both throttled against guessing. */
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly clients: PartnerClientService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenIssuer,
    private readonly throttle: LoginThrottle,
    private readonly consents: ConsentService,
  ) {}

  /** `clientAddress` is the caller's address (requests/platformClientAddress.ts), which the throttle counts by. */
  async login(username: string, password: string, clientAddress: string): Promise<Session> {
    checkCredentialShape('username', username);
    checkCredentialShape('password', password);
    const name = username.trim().toLowerCase();
    // Prefixed like clients' ids: a name typed as "client:<id>" must not count against that client.
    const attempt = await this.admit(`user:${name}`, clientAddress, 'account');
    const user = await this.users.findByUsername(name);
    // Hash even for unknown names, so timing does not reveal which accounts exist.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !matches || user.disabled) throw unauthenticated(WRONG_LOGIN);
    await attempt.succeeded();
    if (user.requiresEmailVerification && !user.emailVerifiedAt) {
      throw unauthenticated('Confirm your e-mail address first: open the link in the message we sent when you registered (registering again sends a new one).');
    }
    return this.sessions.start(user);
  }

  /** The client-credentials grant: a token of the client's own, with the scopes it uses for itself (never those it uses only for people). */
  async issueClientToken(clientId: string, clientSecret: string, clientAddress: string): Promise<IssuedToken & { scopes: string[] }> {
    const client = await this.authenticateClient(clientId, clientSecret, clientAddress);
    const scopes = client.scopes.filter((scope) => !isDelegableScope(scope));
    const issued = this.tokens.issue(
      {
        sub: `client:${client.clientId}`,
        roles: ['partner'],
        scope: scopes.join(' '),
        name: client.name,
        quota: { perMinute: client.requestsPerMinute, perDay: client.requestsPerDay },
      },
      client.expiresAt,
    );
    return { ...issued, scopes };
  }

  /** The authorization-code grant: the client, with its own secret, exchanges a person's approval for a token acting for them. */
  async exchangeAuthorizationCode(
    request: { clientId: string; clientSecret: string; code: string; redirectUri: string; codeVerifier: string },
    clientAddress: string,
  ): Promise<DelegatedToken> {
    const client = await this.authenticateClient(request.clientId, request.clientSecret, clientAddress);
    return this.consents.exchange(client, request.code, request.redirectUri, request.codeVerifier);
  }

  /** A client proving itself with its secret, throttled like a login, and refused while suspended or expired. */
  private async authenticateClient(clientId: string, clientSecret: string, clientAddress: string): Promise<PartnerClientEntity> {
    checkCredentialShape('clientId', clientId);
    checkCredentialShape('clientSecret', clientSecret);
    const id = clientId.trim();
    const attempt = await this.admit(`client:${id}`, clientAddress, 'client');
    const client = await this.clients.authenticate(id, clientSecret);
    if (!client) throw unauthenticated('Unknown client or wrong client secret.');
    await attempt.succeeded();
    // Told only to a caller holding the secret: the partner learns why, nobody else learns the client exists.
    const status = statusOf(client);
    if (status === 'SUSPENDED') throw unauthenticated(`Partner client ${client.clientId} is suspended by the platform; a platform admin can reactivate it.`);
    if (status === 'EXPIRED') throw unauthenticated(`Partner client ${client.clientId}'s registration expired at ${client.expiresAt.toISOString()}; the platform's operator renews it (there is no API for renewal yet).`);
    return client;
  }

  /** Unknown names and clients are counted like real ones, so a refusal never tells whether one exists. */
  private async admit(account: string, clientAddress: string, what: 'account' | 'client'): Promise<{ succeeded(): Promise<void> }> {
    const admission = await this.throttle.admit(account, addressBlock(clientAddress));
    if (admission.admitted) return admission;
    const { limitedBy, retryAfterSeconds } = admission;
    throw rateLimited(refusalMessage(limitedBy, what, describeWait(retryAfterSeconds)), retryAfterSeconds);
  }
}

function refusalMessage(limit: LoginLimit, what: 'account' | 'client', wait: string): string {
  switch (limit) {
    case 'pair':
      return `Too many failed sign-in attempts for this ${what} from your network address; try again in ${wait}.`;
    case 'account':
      return `Too many failed sign-in attempts for this ${what} from many network addresses; try again in ${wait}, or from an address where it signed in successfully before.`;
    case 'address':
      return `Too many failed sign-in attempts from your network address; try again in ${wait}.`;
    default: {
      const unhandled: never = limit;
      throw new Error(`unhandled login limit ${String(unhandled)}`);
    }
  }
}

/**
 * The error formatter passes coded GraphQL errors through unchanged, so
 * clients see `extensions.code` and `retryAfterSeconds`.
 */
function rateLimited(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds } });
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function checkCredentialShape(argument: string, value: string): void {
  if (value.length === 0 || value.length > MAX_CREDENTIAL_LENGTH) {
    throw badUserInput(`${argument} must be 1–${MAX_CREDENTIAL_LENGTH} characters.`, { argument });
  }
}
