import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { badUserInput, forbidden, isUuid, notFound, unauthenticated, type AccessTokenClaims, type Viewer } from '../../../../shared/src';
import type { UserEntity } from '../entities/UserEntity';
import type { NewRefreshToken, RefreshTokenRepository } from '../repositories/RefreshTokenRepository';
import type { UserRepository } from '../repositories/UserRepository';
import type { IssuedToken, TokenIssuer } from './TokenIssuer';

/** What a person gets on signing in or refreshing: a short-lived access token and the refresh token for the next one. */
export interface Session extends IssuedToken {
  readonly refreshToken: string;
  readonly refreshExpiresAt: Date;
  readonly user: UserEntity;
}

/** 256 random bits: hashing with plain SHA-256 is safe for a secret no one can guess (unlike a password). */
const REFRESH_TOKEN_BYTES = 32;
const MAX_REFRESH_TOKEN_LENGTH = 256;

const SIGN_IN_AGAIN = 'sign in again (login)';

type RefreshOutcome =
  | { readonly kind: 'rotated'; readonly user: UserEntity; readonly next: IssuedRefreshToken }
  | { readonly kind: 'unknown' | 'ended' | 'reused' | 'expired' | 'disabled' };

interface IssuedRefreshToken {
  readonly token: string;
  readonly row: NewRefreshToken;
}

/**
 * Sign-in sessions. Each login starts a family of refresh tokens; a refresh
 * exchanges the presented token for a new one in the same family (rotation).
 * A token presented a second time means a copy exists somewhere, so the whole
 * family ends, including the newest token. Access tokens stay stateless JWTs:
 * ending a session stops new ones, and those already issued run out within
 * the access-token lifetime.
 */
export class SessionService {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly users: UserRepository,
    private readonly accessTokens: TokenIssuer,
    private readonly refreshTtlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new session (refresh-token family) for a user who has just proved who they are. */
  async start(user: UserEntity): Promise<Session> {
    const refresh = this.newRefreshToken(user.id, randomUUID());
    await this.refreshTokens.insert(refresh.row);
    return this.session(user, refresh);
  }

  /** Rotates the refresh token: atomic, and of two concurrent refreshes with one token at most one succeeds. */
  async refresh(refreshToken: string): Promise<Session> {
    const tokenHash = hashRefreshToken(refreshToken);
    if (!tokenHash) throw unauthenticated(`The refresh token is not valid; ${SIGN_IN_AGAIN}.`);
    const now = this.now();
    const outcome = await this.refreshTokens.withLockedToken(tokenHash, async (locked): Promise<RefreshOutcome> => {
      if (!locked) return { kind: 'unknown' };
      const { token, user } = locked;
      if (token.revokedAt) return { kind: 'ended' };
      if (token.usedAt) {
        await locked.revokeFamily(now);
        return { kind: 'reused' };
      }
      if (token.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
      if (user.disabled) {
        await locked.revokeFamily(now);
        return { kind: 'disabled' };
      }
      const next = this.newRefreshToken(user.id, token.familyId);
      await locked.markUsed(now);
      await locked.insertSuccessor(next.row);
      return { kind: 'rotated', user, next };
    });
    switch (outcome.kind) {
      case 'rotated':
        return this.session(outcome.user, outcome.next);
      case 'unknown':
        throw unauthenticated(`The refresh token is not valid; ${SIGN_IN_AGAIN}.`);
      case 'ended':
        throw unauthenticated(`This session has ended (logged out or revoked); ${SIGN_IN_AGAIN}.`);
      case 'reused':
        throw unauthenticated(
          `This refresh token had already been used, so the session was ended for safety (a copy of it may be in someone else's hands); ${SIGN_IN_AGAIN}.`,
        );
      case 'expired':
        throw unauthenticated(`The refresh token has expired; ${SIGN_IN_AGAIN}.`);
      case 'disabled':
        throw unauthenticated('This account is disabled, so its sessions have ended.');
      default: {
        const unhandled: never = outcome;
        throw new Error(`unhandled refresh outcome ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Ends the session the refresh token belongs to. False when the token is unknown; true also when it had already ended. */
  async logout(refreshToken: string): Promise<boolean> {
    const tokenHash = hashRefreshToken(refreshToken);
    return tokenHash ? this.refreshTokens.revokeFamilyOf(tokenHash, this.now()) : false;
  }

  /** Platform admins end every session of a user (e.g. a lost laptop); returns how many were still usable. */
  async revokeUserSessions(viewer: Viewer | null, userId: string): Promise<number> {
    if (!viewer) throw unauthenticated('Sign in as a platform admin to end sessions.');
    if (viewer.kind !== 'user' || !viewer.roles.includes('platform_admin')) {
      throw forbidden("Only platform admins can end another user's sessions.");
    }
    if (!isUuid(userId)) throw badUserInput('userId must be a user id (a UUID, as User.id returns).', { argument: 'userId' });
    if (!(await this.users.findById(userId))) throw notFound(`No user has the id ${userId}.`, { argument: 'userId' });
    return this.refreshTokens.revokeAllOfUser(userId, this.now());
  }

  private session(user: UserEntity, refresh: IssuedRefreshToken): Session {
    return { ...this.accessTokens.issue(claimsOf(user)), refreshToken: refresh.token, refreshExpiresAt: refresh.row.expiresAt, user };
  }

  private newRefreshToken(userId: string, familyId: string): IssuedRefreshToken {
    const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.refreshTtlSeconds * 1000);
    return { token, row: { id: randomUUID(), familyId, userId, tokenHash: hashRefreshToken(token)!, expiresAt } };
  }
}

/** The claims of a person's access token. */
export function claimsOf(user: UserEntity): AccessTokenClaims {
  return {
    sub: user.id,
    roles: user.roles,
    name: user.displayName,
    ...(user.homeProvince ? { province: user.homeProvince } : {}),
    ...(user.institution ? { institution: user.institution } : {}),
    ...(user.affiliation ? { affiliation: user.affiliation } : {}),
  };
}

/** Hex SHA-256, or null for a value that cannot be one of our tokens (empty or absurdly long). */
function hashRefreshToken(token: string): string | null {
  if (token.length === 0 || token.length > MAX_REFRESH_TOKEN_LENGTH) return null;
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
