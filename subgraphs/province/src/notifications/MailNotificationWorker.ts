import { QueueLoop, decodeGlobalId, type Logger, type Mailer, type ProvinceDefinition } from '../../../../shared/src';
import { retryDelayMs } from '../events/delivery/retryDelay';
import type { EventType } from '../events/eventTypes';
import type { ClaimedNotification, MailNotificationRepository, NotificationSubject } from './MailNotificationRepository';
import { isNotifyingType, notificationMail, type MailRecipient } from './notificationMail';
import type { MailRecipientLookup } from './platformMailRecipients';

/**
 * A claimed notification with what its mail needs: whom it is about, and where its batch's people are mailed (the
 * platform asked once for the whole batch, not once a mail). A failure of either fails the notification alike.
 */
interface BatchedNotification {
  readonly notification: ClaimedNotification;
  readonly subject: Promise<NotificationSubject | null>;
  readonly recipients: Promise<ReadonlyMap<string, MailRecipient>>;
}

/** How people are mailed (NOTIFICATION_* variables; the SMTP server is SMTP_URL's). */
export interface NotificationSettings {
  /** Attempts before a notification is given up (DEAD): the platform or the mail server away that long. */
  readonly maxAttempts: number;
  /** First retry after about this long, doubling each time (with jitter), at most `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Mails in flight at once; 0: this process sends none (another replica does, or nobody: they wait). */
  readonly concurrency: number;
  readonly pollMs: number;
}

/** Longest a claimed notification may take (the platform's answer and the SMTP exchange) before another worker may take it. */
const LEASE_MS = 60_000;

/**
 * Mails people when their bookings and service requests change: each notification was written with the change's
 * event (OutboxRepository), so none is lost when the province stops; this loop claims them with a lease, asks the
 * platform where and in which language to mail the person, and sends. At least once: a mail whose outcome could not
 * be recorded is sent again, with the same event id in its headers. A person without a verified address, or who
 * turned mail off, is skipped, as is every mail while SMTP_URL is unset (it is written to the log instead).
 */
export class MailNotificationWorker {
  private readonly loop: QueueLoop<BatchedNotification>;

  constructor(
    private readonly province: ProvinceDefinition,
    private readonly notifications: MailNotificationRepository,
    private readonly recipients: MailRecipientLookup,
    private readonly mailer: Mailer,
    private readonly settings: NotificationSettings,
    private readonly logger: Logger,
  ) {
    this.loop = new QueueLoop({
      claim: async (limit) => this.prepare(await notifications.claimDue(limit, LEASE_MS)),
      handle: (batched) => this.notify(batched),
      concurrency: settings.concurrency,
      pollMs: settings.pollMs,
      onClaimError: (error) => logger.warn({ err: error }, 'mail notifications could not be claimed; trying again'),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Looks for due notifications now (an event was just committed). */
  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.mailer.close();
  }

  /** Each notification's subject, and one look-up of the batch's recipients. */
  private prepare(claimed: readonly ClaimedNotification[]): BatchedNotification[] {
    const subjects = claimed.map((notification) => this.subjectOf(notification));
    const recipients = Promise.all(subjects.map((subject) => subject.catch(() => null))).then((found) => {
      const personIds = [...new Set(found.flatMap((subject) => (subject ? [subject.personId] : [])))];
      return personIds.length > 0 ? this.recipients(personIds) : new Map<string, MailRecipient>();
    });
    // Awaited by each notification of the batch; marked handled here so that a failure is not reported before then.
    for (const pending of [recipients, ...subjects]) pending.catch(() => undefined);
    return claimed.map((notification, index) => ({ notification, subject: subjects[index]!, recipients }));
  }

  /** The person and names a mail needs; null when nobody is mailed about this event. */
  private async subjectOf({ event }: ClaimedNotification): Promise<NotificationSubject | null> {
    if (!isNotifyingType(event.type as EventType)) return null;
    return this.notifications.subject(event.entityType, decodeGlobalId(event.entityId).localId, String(event.state.status ?? ''));
  }

  private async notify(batched: BatchedNotification): Promise<void> {
    const { notification } = batched;
    const { event } = notification;
    const log = { notificationId: notification.id, eventId: event.id, type: event.type, attempt: notification.attempts };
    try {
      const outcome = await this.send(batched);
      await this.notifications.markDone(notification.id, outcome.sent ? 'SENT' : 'SKIPPED', outcome.note);
    } catch (error) {
      const message = describe(error);
      const dead = notification.attempts >= this.settings.maxAttempts;
      try {
        await this.notifications.markFailed(notification.id, message, dead ? null : retryDelayMs(notification.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs));
        this.logger[dead ? 'warn' : 'info']({ ...log, error: message }, dead ? 'mail notification given up' : 'mail notification failed; will retry');
      } catch (recordError) {
        // The lease ends and the notification is claimed again.
        this.logger.warn({ ...log, err: recordError }, 'mail notification outcome not recorded; it will be tried again');
      }
    }
  }

  private async send({ notification: { event }, subject: subjectOf, recipients }: BatchedNotification): Promise<{ sent: boolean; note: string | null }> {
    const type = event.type as EventType;
    if (!isNotifyingType(type)) return { sent: false, note: `${type} is not mailed to people` };
    const subject = await subjectOf;
    if (!subject) return { sent: false, note: `${event.entityId} no longer exists` };
    const recipient = (await recipients).get(subject.personId);
    if (!recipient) return { sent: false, note: 'the person has no verified address, or turned mail off' };
    const mail = notificationMail({ type, eventId: event.id, entityId: event.entityId, state: event.state, subject, recipient }, this.province);
    await this.mailer.send(mail);
    return this.mailer.delivers ? { sent: true, note: null } : { sent: false, note: 'SMTP_URL is not set: the mail was written to the log' };
  }
}

/**
 * An error as one line, with its cause (fetch says only "fetch failed"; its cause says the connection was refused).
 * Read by shape: an error thrown by Node's own fetch is not an `Error` of every realm (a test's, for one).
 */
function describe(error: unknown): string {
  const messageOf = (value: unknown) => (typeof value === 'object' && value !== null && 'message' in value ? String(value.message) : String(value));
  const cause = typeof error === 'object' && error !== null && 'cause' in error && error.cause ? `: ${messageOf(error.cause)}` : '';
  return `${messageOf(error)}${cause}`;
}
