import type { MailMessage } from '../../../../shared/src';
import type { UserLocale } from '../entities/UserEntity';

/** The mail registration and password reset send, in the person's language. */
export type AccountMailKind = 'verify_email' | 'already_registered' | 'username_taken' | 'reset_password';

export interface AccountMailContent {
  readonly to: string;
  readonly locale: UserLocale;
  readonly kind: AccountMailKind;
  /** The single-use token, for verify_email and reset_password. */
  readonly token?: string;
  /** `ACCOUNT_LINK_URL`: the token is appended as `?token=` (and `&purpose=`). */
  readonly linkUrl: string | null;
  readonly validMinutes?: number;
  readonly username?: string;
}

const TEXTS: Record<UserLocale, Record<AccountMailKind, { subject: string; body: (content: AccountMailContent, action: string) => string }>> = {
  zh: {
    verify_email: {
      subject: '双城平台：请确认您的电子邮箱',
      body: (c, action) => `您好，\n\n感谢注册双城科技资源共享平台（用户名 ${c.username}）。请在 ${c.validMinutes} 分钟内确认邮箱：\n\n${action}\n\n如果不是您本人注册，请忽略此邮件。`,
    },
    already_registered: {
      subject: '双城平台：有人尝试用您的邮箱注册',
      body: () => '您好，\n\n有人尝试用此邮箱注册新账户，但该邮箱已有账户。如果是您本人，请直接登录；忘记密码可申请重置密码（requestPasswordReset）。\n\n如果不是您本人，请忽略此邮件。',
    },
    username_taken: {
      subject: '双城平台：用户名已被占用',
      body: (c) => `您好，\n\n您申请的用户名 ${c.username} 已被占用，账户未创建。请换一个用户名重新注册。`,
    },
    reset_password: {
      subject: '双城平台：重置密码',
      body: (c, action) => `您好，\n\n我们收到了重置您账户（${c.username}）密码的请求。请在 ${c.validMinutes} 分钟内使用：\n\n${action}\n\n如果不是您本人操作，请忽略此邮件，您的密码不会改变。`,
    },
  },
  en: {
    verify_email: {
      subject: 'Shuangcheng: confirm your e-mail address',
      body: (c, action) => `Hello,\n\nThank you for registering with the Shuangcheng science-resource sharing platform (username ${c.username}). Confirm your address within ${c.validMinutes} minutes:\n\n${action}\n\nIf you did not register, ignore this message.`,
    },
    already_registered: {
      subject: 'Shuangcheng: someone tried to register with your address',
      body: () => 'Hello,\n\nSomeone tried to register a new account with this address, which already has one. If it was you, sign in; if you forgot your password, ask for a reset (requestPasswordReset).\n\nIf it was not you, ignore this message.',
    },
    username_taken: {
      subject: 'Shuangcheng: that username is taken',
      body: (c) => `Hello,\n\nThe username ${c.username} you asked for is taken, so no account was created. Register again with another username.`,
    },
    reset_password: {
      subject: 'Shuangcheng: reset your password',
      body: (c, action) => `Hello,\n\nWe received a request to reset the password of your account (${c.username}). Use this within ${c.validMinutes} minutes:\n\n${action}\n\nIf you did not ask, ignore this message: your password stays as it is.`,
    },
  },
};

const MUTATION: Record<'verify_email' | 'reset_password', (token: string) => string> = {
  verify_email: (token) => `mutation { verifyEmail(token: "${token}") }`,
  reset_password: (token) => `mutation { resetPassword(token: "${token}", newPassword: "…") }`,
};

/** The message; the token appears as a link when the platform has a page for it, and always as the operation to send. */
export function accountMail(content: AccountMailContent): MailMessage {
  const text = TEXTS[content.locale][content.kind];
  let action = '';
  if (content.token && (content.kind === 'verify_email' || content.kind === 'reset_password')) {
    const operation = MUTATION[content.kind](content.token);
    if (content.linkUrl) {
      const link = new URL(content.linkUrl);
      link.searchParams.set('purpose', content.kind);
      link.searchParams.set('token', content.token);
      action = `${link.href}\n\n(${operation})`;
    } else {
      action = operation;
    }
  }
  return { to: content.to, subject: text.subject, text: text.body(content, action), headers: { 'X-Shuangcheng-Mail': content.kind } };
}
