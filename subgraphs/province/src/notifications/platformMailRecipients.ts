import { askPlatform, type PlatformAccess } from '../domain/askPlatform';
import type { MailRecipient } from './notificationMail';

/** Where to mail people, by platform user id: absent ids have no address to mail (or turned mail off). */
export type MailRecipientLookup = (personIds: readonly string[]) => Promise<ReadonlyMap<string, MailRecipient>>;

/**
 * Asks the platform where to mail people (askPlatform). The province keeps no addresses: it asks just before it
 * sends, so a changed address or language, or mail turned off, counts from the next mail. Throws when the platform
 * cannot answer; the notification is tried again later.
 */
export function platformMailRecipients(access: PlatformAccess): MailRecipientLookup {
  return async (personIds) => {
    const { mailRecipients } = await askPlatform<{ mailRecipients: { id: string; email: string; displayName: string; locale: 'ZH' | 'EN' }[] }>(
      access, 'query MailRecipients($ids: [ID!]!) { mailRecipients(ids: $ids) { id email displayName locale } }', { ids: personIds }, ['mailRecipients'],
    );
    return new Map(mailRecipients.map((r) => [r.id, { email: r.email, displayName: r.displayName, locale: r.locale === 'EN' ? 'en' : 'zh' }]));
  };
}
