import { formatChinaTime, type MailMessage, type ProvinceDefinition } from '../../../../shared/src';
import { fenToYuan } from '../domain/money';
import type { EventType } from '../events/eventTypes';
import type { NotificationSubject } from './MailNotificationRepository';

export type MailLocale = 'zh' | 'en';

/** Whom a mail goes to, as the platform says (it keeps people's addresses and languages). */
export interface MailRecipient {
  readonly email: string;
  readonly displayName: string;
  readonly locale: MailLocale;
}

/** Everything one mail is written from. */
export interface NotificationFacts {
  readonly type: EventType;
  readonly eventId: string;
  /** The global id of the booking or service request. */
  readonly entityId: string;
  /** The event's state: a booking's period, the status reached. */
  readonly state: Record<string, unknown>;
  readonly subject: NotificationSubject;
  readonly recipient: MailRecipient;
}

/** The header a receiver's tooling sorts these mails by (the event type), as account mail carries its kind. */
export const NOTIFICATION_KIND_HEADER = 'X-Shuangcheng-Mail';
/** The event the mail tells of: a mail sent twice (at least once) carries the same id. */
export const NOTIFICATION_EVENT_HEADER = 'X-Shuangcheng-Event-Id';

interface Words {
  /** What the mail is about, in a few words ("the booking of …"). */
  readonly subjectLine: (facts: NotificationFacts, province: ProvinceDefinition) => string;
  /** The sentence that tells what happened. */
  readonly happened: (facts: NotificationFacts, province: ProvinceDefinition) => string;
}

type Templates = Record<MailLocale, { readonly greeting: (name: string) => string; readonly closing: string; readonly reference: string; readonly reason: string; readonly types: Record<NotifyingType, Words> }>;

/** The event types people are mailed about (EVENT_TYPES' `notifiesRequester`); a test keeps the two lists equal. */
export type NotifyingType =
  | 'booking.confirmed' | 'booking.rejected' | 'booking.cancelled' | 'booking.no_show'
  | 'serviceRequest.quoted' | 'serviceRequest.samples_received' | 'serviceRequest.report_issued' | 'serviceRequest.rejected' | 'serviceRequest.cancelled';

const period = (facts: NotificationFacts) =>
  `${formatChinaTime(new Date(String(facts.state.start)))} – ${formatChinaTime(new Date(String(facts.state.end)))}`;
const quote = (facts: NotificationFacts) => (facts.subject.quoteAmountFen === null ? '' : fenToYuan(String(facts.subject.quoteAmountFen)));
const validUntil = (facts: NotificationFacts) => (facts.subject.quoteValidUntil ? formatChinaTime(facts.subject.quoteValidUntil) : '');

const zh = (facts: NotificationFacts) => facts.subject.nameZh;
const en = (facts: NotificationFacts) => facts.subject.name;

export const NOTIFICATION_TEMPLATES: Templates = {
  zh: {
    greeting: (name) => `${name}，您好：`,
    closing: '此邮件由双城科技资源共享平台自动发送。不想再收到此类邮件，可在平台的邮件设置中关闭（updateMyMailSettings）。',
    reference: '编号',
    reason: '原因',
    types: {
      'booking.confirmed': { subjectLine: (f) => `预约已确认：${zh(f)}`, happened: (f, p) => `您在${p.nameZh}预约的仪器「${zh(f)}」（${period(f)}）已确认，请按时到场。` },
      'booking.rejected': { subjectLine: (f) => `预约未获批准：${zh(f)}`, happened: (f, p) => `您在${p.nameZh}预约的仪器「${zh(f)}」（${period(f)}）未获批准。` },
      'booking.cancelled': { subjectLine: (f) => `预约已取消：${zh(f)}`, happened: (f, p) => `您在${p.nameZh}预约的仪器「${zh(f)}」（${period(f)}）已取消。` },
      'booking.no_show': {
        subjectLine: (f) => `预约未签到：${zh(f)}`,
        happened: (f, p) => `您在${p.nameZh}预约的仪器「${zh(f)}」（${period(f)}）在宽限时间内没有签到，已记为爽约。多次爽约将暂停自主预约。`,
      },
      'serviceRequest.quoted': {
        subjectLine: (f) => `服务申请已报价：${zh(f)}`,
        happened: (f, p) => `您向${p.nameZh}提交的服务申请「${zh(f)}」已报价：${quote(f)} 元，有效期至 ${validUntil(f)}。请在平台上接受或拒绝报价。`,
      },
      'serviceRequest.samples_received': { subjectLine: (f) => `样品已收到：${zh(f)}`, happened: (f, p) => `${p.nameZh}已收到您的服务申请「${zh(f)}」的样品。` },
      'serviceRequest.report_issued': {
        subjectLine: (f) => `报告已出具：${zh(f)}`,
        happened: (f, p) => `${p.nameZh}已为您的服务申请「${zh(f)}」出具报告，可在平台上下载；费用已记入您的账单。`,
      },
      'serviceRequest.rejected': { subjectLine: (f) => `服务申请未被受理：${zh(f)}`, happened: (f, p) => `您向${p.nameZh}提交的服务申请「${zh(f)}」未被受理。` },
      'serviceRequest.cancelled': { subjectLine: (f) => `服务申请已取消：${zh(f)}`, happened: (f, p) => `您向${p.nameZh}提交的服务申请「${zh(f)}」已取消。` },
    },
  },
  en: {
    greeting: (name) => `Dear ${name},`,
    closing: 'The Shuangcheng science-resource sharing platform sent this message. To stop such messages, turn them off in your mail settings (updateMyMailSettings).',
    reference: 'Reference',
    reason: 'Reason',
    types: {
      'booking.confirmed': {
        subjectLine: (f) => `Booking confirmed: ${en(f)}`,
        happened: (f, p) => `Your booking of ${en(f)} in ${p.nameEn} (${period(f)}) is confirmed. Please arrive on time.`,
      },
      'booking.rejected': { subjectLine: (f) => `Booking not approved: ${en(f)}`, happened: (f, p) => `Your booking of ${en(f)} in ${p.nameEn} (${period(f)}) was not approved.` },
      'booking.cancelled': { subjectLine: (f) => `Booking cancelled: ${en(f)}`, happened: (f, p) => `Your booking of ${en(f)} in ${p.nameEn} (${period(f)}) was cancelled.` },
      'booking.no_show': {
        subjectLine: (f) => `Missed booking: ${en(f)}`,
        happened: (f, p) => `Nobody checked in to your booking of ${en(f)} in ${p.nameEn} (${period(f)}) within the grace period, so it counts as a no-show. Repeated no-shows suspend self-booking.`,
      },
      'serviceRequest.quoted': {
        subjectLine: (f) => `Quote for your service request: ${en(f)}`,
        happened: (f, p) => `${p.nameEn} quoted your service request for ${en(f)}: CNY ${quote(f)}, valid until ${validUntil(f)}. Accept or decline the quote on the platform.`,
      },
      'serviceRequest.samples_received': { subjectLine: (f) => `Samples received: ${en(f)}`, happened: (f, p) => `${p.nameEn} received the samples of your service request for ${en(f)}.` },
      'serviceRequest.report_issued': {
        subjectLine: (f) => `Report issued: ${en(f)}`,
        happened: (f, p) => `${p.nameEn} issued the report of your service request for ${en(f)}; download it on the platform. The charge is on your statement.`,
      },
      'serviceRequest.rejected': { subjectLine: (f) => `Service request not accepted: ${en(f)}`, happened: (f, p) => `${p.nameEn} did not accept your service request for ${en(f)}.` },
      'serviceRequest.cancelled': { subjectLine: (f) => `Service request cancelled: ${en(f)}`, happened: (f, p) => `Your service request for ${en(f)} in ${p.nameEn} was cancelled.` },
    },
  },
};

const SUBJECT_PREFIX: Record<MailLocale, string> = { zh: '双城平台：', en: 'Shuangcheng: ' };

/** Whether people are mailed about this event type. */
export function isNotifyingType(type: string): type is NotifyingType {
  return Object.prototype.hasOwnProperty.call(NOTIFICATION_TEMPLATES.en.types, type);
}

/** The mail telling a person of one change to their booking or service request, in their language. */
export function notificationMail(facts: NotificationFacts & { type: NotifyingType }, province: ProvinceDefinition): MailMessage {
  const texts = NOTIFICATION_TEMPLATES[facts.recipient.locale];
  const words = texts.types[facts.type];
  const reason = facts.subject.reason ? `\n${texts.reason}: ${facts.subject.reason}` : '';
  return {
    to: facts.recipient.email,
    subject: `${SUBJECT_PREFIX[facts.recipient.locale]}${words.subjectLine(facts, province)}`,
    text: `${texts.greeting(facts.recipient.displayName)}\n\n${words.happened(facts, province)}${reason}\n\n${texts.reference}: ${facts.entityId}\n\n${texts.closing}\n`,
    headers: { [NOTIFICATION_KIND_HEADER]: facts.type, [NOTIFICATION_EVENT_HEADER]: facts.eventId },
  };
}
