import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { z } from 'zod';

/**
 * Variables of a service that sends mail. `SMTP_URL` is nodemailer's connection URL
 * (`smtp://user:pass@host:587`, `smtps://…` for implicit TLS); without it, mail is not sent but written to the
 * service's log, which is what development and the demo want (a verification link to click) and what production
 * refuses for features that depend on mail reaching a person.
 */
export const mailEnvSchema = {
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { message: 'expected smtp://… or smtps://…' })
    .optional(),
  MAIL_FROM: z.string().min(3).default('Shuangcheng 双城 <no-reply@shuangcheng.example>'),
};

export interface MailConfig {
  readonly smtpUrl: string | null;
  readonly from: string;
}

export function toMailConfig(vars: { SMTP_URL?: string; MAIL_FROM: string }): MailConfig {
  return Object.freeze({ smtpUrl: vars.SMTP_URL ?? null, from: vars.MAIL_FROM });
}

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Lets a receiver's tooling thread or de-duplicate messages (an event id, a request id). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  /** Whether messages reach an SMTP server (false: they are only logged). */
  readonly delivers: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

interface MailLog {
  info(fields: Record<string, unknown>, message: string): void;
}

/** One mailer per process: a pooled SMTP transport, or a log when no server is configured. */
export function createMailer(config: MailConfig, log: MailLog): Mailer {
  if (!config.smtpUrl) {
    return {
      delivers: false,
      async send(message) {
        log.info({ mail: { to: message.to, subject: message.subject, text: message.text } }, 'mail not sent: SMTP_URL is not set');
      },
      close() {},
    };
  }
  const transport: Transporter = nodemailer.createTransport(config.smtpUrl, { pool: true, maxConnections: 2 } as never);
  return {
    delivers: true,
    async send(message) {
      await transport.sendMail({
        from: config.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers ? { ...message.headers } : undefined,
      });
    },
    close() {
      transport.close();
    },
  };
}
