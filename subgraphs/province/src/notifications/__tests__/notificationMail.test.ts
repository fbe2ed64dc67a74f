import { PROVINCES } from '../../../../../shared/src';
import { REQUESTER_NOTIFICATION_TYPES } from '../../events/eventTypes';
import { NOTIFICATION_TEMPLATES, isNotifyingType, notificationMail, type NotificationFacts } from '../notificationMail';

const quoted: NotificationFacts & { type: 'serviceRequest.quoted' } = {
  type: 'serviceRequest.quoted',
  eventId: '0b6f3c1e-5d2a-4a7e-9f0e-1c2d3e4f5a6b',
  entityId: 'cq:servicerequest:8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a',
  state: { status: 'QUOTED' },
  subject: {
    personId: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
    name: 'X-ray diffraction of a powder',
    nameZh: '粉末X射线衍射',
    quoteAmountFen: 1_000_005,
    quoteValidUntil: new Date('2026-12-20T04:00:00Z'),
    reason: null,
  },
  recipient: { email: 'zhou.lan@example.cn', displayName: '周兰', locale: 'zh' },
};

describe('notification mail', () => {
  it('has a text in each language for exactly the event types that notify the requester', () => {
    expect(Object.keys(NOTIFICATION_TEMPLATES.zh.types).sort()).toEqual([...REQUESTER_NOTIFICATION_TYPES].sort());
    expect(Object.keys(NOTIFICATION_TEMPLATES.en.types).sort()).toEqual([...REQUESTER_NOTIFICATION_TYPES].sort());
    expect(isNotifyingType('serviceRequest.submitted')).toBe(false);
    expect(isNotifyingType('booking.no_show')).toBe(true);
  });

  it('writes a quote in the person\'s language, the amount exact in yuan and the date in China time', () => {
    const mail = notificationMail(quoted, PROVINCES.chongqing);
    expect(mail).toEqual({
      to: 'zhou.lan@example.cn',
      subject: '双城平台：服务申请已报价：粉末X射线衍射',
      text: '周兰，您好：\n\n您向重庆提交的服务申请「粉末X射线衍射」已报价：10000.05 元，有效期至 2026-12-20 12:00 (UTC+8)。请在平台上接受或拒绝报价。'
        + '\n\n编号: cq:servicerequest:8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a\n\n'
        + '此邮件由双城科技资源共享平台自动发送。不想再收到此类邮件，可在平台的邮件设置中关闭（updateMyMailSettings）。\n',
      headers: { 'X-Shuangcheng-Mail': 'serviceRequest.quoted', 'X-Shuangcheng-Event-Id': '0b6f3c1e-5d2a-4a7e-9f0e-1c2d3e4f5a6b' },
    });
  });

  it('gives the reason staff wrote, in English for a person who reads English', () => {
    const mail = notificationMail({
      ...quoted,
      type: 'serviceRequest.rejected',
      subject: { ...quoted.subject, reason: 'Samples out of scope' },
      recipient: { ...quoted.recipient, locale: 'en', displayName: 'Zhou Lan' },
    }, PROVINCES.chongqing);
    expect(mail.subject).toBe('Shuangcheng: Service request not accepted: X-ray diffraction of a powder');
    expect(mail.text).toContain('Dear Zhou Lan,\n\nChongqing did not accept your service request for X-ray diffraction of a powder.\nReason: Samples out of scope\n');
  });
});
