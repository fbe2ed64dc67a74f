import { badUserInput, forbidden, isUuid, unauthenticated, type Viewer } from '../../../../shared/src';
import type { UserEntity, UserLocale } from '../entities/UserEntity';
import type { UserRepository } from '../repositories/UserRepository';

/** Where and in which language a province mails a person about their bookings and requests. */
export interface MailRecipient {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly locale: UserLocale;
}

/** Most ids one `mailRecipients` question may name: a province asks for one batch of notifications at a time. */
export const MAX_RECIPIENTS_PER_QUESTION = 200;

/**
 * A person's mail settings, and the addresses the provinces mail them at. The platform keeps people's addresses;
 * a province knows only user ids, so its notification worker asks here (with the gateway secret) just before it
 * sends, and a person who turned mail off, disabled accounts and unverified addresses are not answered at all.
 */
export class MailSettingsService {
  constructor(private readonly users: UserRepository) {}

  async update(viewer: Viewer | null, settings: { locale?: UserLocale; mailNotifications?: boolean }): Promise<UserEntity> {
    if (!viewer) throw unauthenticated('Sign in to change your mail settings.');
    if (viewer.kind !== 'user') throw forbidden('Mail settings belong to a person; a partner client has none.');
    const updated = await this.users.updateMailSettings(viewer.subject, settings);
    if (!updated) throw unauthenticated('Your account no longer exists; sign in again.');
    return updated;
  }

  async recipients(ids: readonly string[]): Promise<MailRecipient[]> {
    if (ids.length > MAX_RECIPIENTS_PER_QUESTION) {
      throw badUserInput(`Ask for at most ${MAX_RECIPIENTS_PER_QUESTION} recipients at once.`, { argument: 'ids' });
    }
    const users = await this.users.findByIds([...new Set(ids.filter(isUuid))]);
    return users.flatMap((user) =>
      user && user.mailNotifications && !user.disabled && user.email && user.emailVerifiedAt
        ? [{ id: user.id, email: user.email, displayName: user.displayName, locale: user.locale }]
        : [],
    );
  }
}
