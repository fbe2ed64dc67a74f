import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  DomainError, ErrorCode, PROVINCES, badUserInput, isProvinceKey, type AffiliationKind, type Mailer, type ProvinceKey,
} from '../../../../shared/src';
import type { AccountMailConfig } from '../config';
import { UserEntity, type UserLocale } from '../entities/UserEntity';
import type { AccountTokenRepository } from '../repositories/AccountTokenRepository';
import type { UserRepository } from '../repositories/UserRepository';
import { addressBlock } from '../requests/platformClientAddress';
import { accountMail, type AccountMailContent } from './accountMail';
import type { LoginThrottle } from './LoginThrottle';
import { hashPassword } from './passwords';

export interface Registration {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  readonly homeProvince: ProvinceKey | null;
  readonly institution: string | null;
  readonly affiliation: AffiliationKind | null;
  readonly locale: UserLocale;
}

interface MailLog {
  error(fields: Record<string, unknown>, message: string): void;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 256;
/** 256 random bits, like refresh tokens: SHA-256 at rest is enough for a secret nobody can guess. */
const TOKEN_BYTES = 32;

/**
 * Self-service registration with e-mail verification, and password reset. Neither answer says whether an address or
 * a username exists: every well-formed request answers true and sends exactly one message to the address given —
 * the verification link, "this address already has an account", "that username is taken", or a reset link — and
 * the message goes out after the answer, so timing does not tell either. Requests are throttled per address and per
 * network address block like sign-ins (LoginThrottle, counters of their own); tokens are single use, short-lived and
 * stored only as hashes.
 */
export class AccountService {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: AccountTokenRepository,
    private readonly throttle: LoginThrottle,
    private readonly mailer: Mailer,
    private readonly config: AccountMailConfig,
    /** Production without SMTP_URL: mail would reach nobody, so registration and reset are refused. */
    private readonly mailRequired: boolean,
    private readonly log: MailLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async register(input: Registration, clientAddress: string): Promise<boolean> {
    const registration = checkRegistration(input);
    this.requireMail();
    await this.admit(registration.email, clientAddress);
    const passwordHash = await hashPassword(registration.password);
    const existing = await this.users.findByEmail(registration.email);
    if (existing) {
      // Not yet verified: the person may have lost the first message; a new one replaces nothing else.
      if (existing.requiresEmailVerification && !existing.emailVerifiedAt) return this.sendVerification(existing);
      return this.send({ to: registration.email, locale: existing.locale, kind: 'already_registered' });
    }
    const user = Object.assign(new UserEntity(), {
      id: randomUUID(),
      username: registration.username,
      displayName: registration.displayName,
      homeProvince: registration.homeProvince,
      roles: ['researcher'],
      passwordHash,
      disabled: false,
      email: registration.email,
      emailVerifiedAt: null,
      requiresEmailVerification: true,
      locale: registration.locale,
      institution: registration.institution,
      affiliation: registration.affiliation,
      // Chosen by the person: a platform admin or a trusted provider verifies it.
      affiliationVerified: false,
    } satisfies Partial<UserEntity>);
    if (!(await this.users.insertIfFree(user))) {
      // The username is taken (or the address was registered a moment ago): say so only to the address given.
      return this.send({ to: registration.email, locale: registration.locale, kind: 'username_taken', username: registration.username });
    }
    return this.sendVerification(user);
  }

  async verifyEmail(token: string): Promise<boolean> {
    const userId = await this.tokens.verifyEmail(hashToken(checkToken(token)), this.now());
    if (!userId) throw invalidToken('This verification link is not valid any more (already used, expired or mistyped); register again with the same address for a new one.');
    return true;
  }

  async requestPasswordReset(email: string, clientAddress: string): Promise<boolean> {
    const address = checkEmail(email);
    this.requireMail();
    await this.admit(address, clientAddress);
    const user = await this.users.findByEmail(address);
    if (!user || user.disabled) return true;
    const token = await this.newToken(user.id, 'reset_password', this.config.resetTtlSeconds);
    return this.send({ to: address, locale: user.locale, kind: 'reset_password', token, username: user.username, validMinutes: this.config.resetTtlSeconds / 60 });
  }

  async resetPassword(token: string, newPassword: string): Promise<boolean> {
    const checked = checkToken(token);
    checkPassword(newPassword, 'newPassword');
    const userId = await this.tokens.resetPassword(hashToken(checked), this.now(), await hashPassword(newPassword));
    if (!userId) throw invalidToken('This reset link is not valid any more (already used, expired or mistyped); ask for a new one (requestPasswordReset).');
    return true;
  }

  /**
   * Deletes self-registrations never verified within `unverifiedTtlSeconds` (the address and username are free
   * again); accounts verified since, or linked to a provider identity, are kept. Answers how many were deleted.
   */
  async purgeUnverified(): Promise<number> {
    const before = new Date(this.now().getTime() - this.config.unverifiedTtlSeconds * 1000);
    return (await this.users.deleteUnverifiedRegistrations(before)).length;
  }

  private async sendVerification(user: UserEntity): Promise<boolean> {
    const token = await this.newToken(user.id, 'verify_email', this.config.verificationTtlSeconds);
    return this.send({ to: user.email!, locale: user.locale, kind: 'verify_email', token, username: user.username, validMinutes: this.config.verificationTtlSeconds / 60 });
  }

  private async newToken(userId: string, purpose: 'verify_email' | 'reset_password', ttlSeconds: number): Promise<string> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    await this.tokens.insert(hashToken(token), userId, purpose, new Date(this.now().getTime() + ttlSeconds * 1000));
    return token;
  }

  /** After the answer: a slow mail server must not tell a caller which message was sent. */
  private send(content: Omit<AccountMailContent, 'linkUrl'>): boolean {
    const message = accountMail({ ...content, linkUrl: this.config.linkUrl });
    this.mailer.send(message).catch((error: unknown) => {
      this.log.error({ err: error, mail: { kind: content.kind } }, 'account mail could not be sent');
    });
    return true;
  }

  private requireMail(): void {
    if (this.mailRequired && !this.mailer.delivers) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'This platform sends no mail (SMTP_URL is not set), so it cannot register accounts or reset passwords; ask a platform admin.');
    }
  }

  private async admit(email: string, clientAddress: string): Promise<void> {
    const admission = await this.throttle.admit(`mail:${email}`, `mail:${addressBlock(clientAddress)}`);
    if (admission.admitted) return;
    const minutes = Math.ceil(admission.retryAfterSeconds / 60);
    throw new DomainError(ErrorCode.RATE_LIMITED, `Too many registration or reset requests for this address or from your network; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
      retryAfterSeconds: admission.retryAfterSeconds,
    });
  }
}

function checkRegistration(input: Registration): Registration {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw badUserInput('username must be 2–64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit.', { argument: 'username' });
  }
  checkPassword(input.password, 'password');
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > 120) throw badUserInput('displayName must be 1–120 characters.', { argument: 'displayName' });
  const institution = input.institution?.trim() || null;
  if (institution !== null && institution.length > 200) throw badUserInput('institution must be at most 200 characters.', { argument: 'institution' });
  if (input.homeProvince !== null && !isProvinceKey(input.homeProvince)) {
    throw badUserInput(`homeProvince must be one of ${Object.values(PROVINCES).map((p) => p.code).join(', ')}.`, { argument: 'homeProvince' });
  }
  return { ...input, username, email: checkEmail(input.email), displayName, institution };
}

function checkEmail(email: string): string {
  const address = email.trim().toLowerCase();
  if (address.length > 254 || !EMAIL.test(address)) throw badUserInput('email must be an e-mail address such as name@example.cn.', { argument: 'email' });
  return address;
}

function checkPassword(password: string, argument: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw badUserInput(`${argument} must be ${MIN_PASSWORD}–${MAX_PASSWORD} characters.`, { argument });
  }
}

function checkToken(token: string): string {
  if (!/^[\w-]{16,128}$/.test(token)) throw invalidToken('token is not one this platform sends: copy it whole from the message.');
  return token;
}

function invalidToken(message: string): DomainError {
  return badUserInput(message, { argument: 'token' });
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
