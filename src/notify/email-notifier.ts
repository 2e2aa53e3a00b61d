// Email through SMTP with nodemailer (SPEC §5). One connection per alert: alerts are rare, and
// a fresh connection cannot be stuck in a state a previous failure left it in.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Alert } from './alert.js';
import type { EmailConfig } from './config.js';
import type { Notifier } from './notifier.js';

/** Sends each alert as a plain-text email to DSR_EMAIL_TO. */
export class EmailNotifier implements Notifier {
  readonly name = 'email';
  readonly #config: EmailConfig;
  readonly #transport: Transporter;

  constructor(config: EmailConfig) {
    this.#config = config;
    this.#transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      ...(config.auth ? { auth: config.auth } : {}),
      // A server that accepts the connection and then says nothing must fail the attempt, so
      // the queue can retry it, rather than hold the channel for nodemailer's default 10 min.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** Sends `alert`; rejects with the SMTP server's answer when it is refused. */
  async send(alert: Alert): Promise<void> {
    try {
      await this.#transport.sendMail({
        from: this.#config.from,
        to: this.#config.to,
        subject: `[dsr ${alert.severity}] ${alert.subject}`,
        text: alert.text,
        headers: { 'X-DSR-Alert-Key': alert.key, 'X-DSR-Alert-Type': alert.type },
      });
    } catch (error) {
      throw new Error(`SMTP ${this.#config.host}:${this.#config.port}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Closes the transport. */
  close(): void {
    this.#transport.close();
  }
}
