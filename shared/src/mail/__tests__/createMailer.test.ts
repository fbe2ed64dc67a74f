import { startSmtpTestServer } from '../../testing/smtpTestServer';
import { createMailer, toMailConfig } from '../createMailer';

describe('createMailer', () => {
  it('delivers a message in Chinese with its headers to an SMTP server', async () => {
    const smtp = await startSmtpTestServer();
    const mailer = createMailer(toMailConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'Shuangcheng <no-reply@example.cn>' }), { info() {} });
    try {
      await mailer.send({ to: 'li.wei@example.cn', subject: '预约已确认', text: '您的预约已确认。', headers: { 'X-Event-Id': 'ev-1' } });
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail.subject).toBe('预约已确认');
      expect(mail.text?.trim()).toBe('您的预约已确认。');
      expect(mail.headers.get('x-event-id')).toBe('ev-1');
      expect(mail.from?.text).toContain('no-reply@example.cn');
      expect(mailer.delivers).toBe(true);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('logs the message instead when no SMTP server is configured', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const mailer = createMailer(toMailConfig({ MAIL_FROM: 'x <x@example.cn>' }), { info: (fields) => lines.push(fields) });
    await mailer.send({ to: 'a@example.cn', subject: 'Verify', text: 'https://example.cn/verify?code=1' });
    expect(mailer.delivers).toBe(false);
    expect(lines).toEqual([{ mail: { to: 'a@example.cn', subject: 'Verify', text: 'https://example.cn/verify?code=1' } }]);
  });
});
