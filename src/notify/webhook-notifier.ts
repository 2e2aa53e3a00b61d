// The generic JSON webhook: one POST per alert to DSR_WEBHOOK_URL; any 2xx answer is delivery.
import type { Alert } from './alert.js';
import type { WebhookConfig } from './config.js';
import type { Notifier } from './notifier.js';

/** The JSON body posted: the alert's fields, DSR's version and when it was sent. */
export interface WebhookPayload extends Alert {
  dsrVersion: string;
  sentAt: string;
}

/** Posts alerts as JSON; one attempt per `send`, failing on a non-2xx answer or after the timeout. */
export class WebhookNotifier implements Notifier {
  readonly name = 'webhook';
  readonly #config: WebhookConfig;
  readonly #version: string;
  /** Where, for messages: the origin only, as the path often carries a secret token. */
  readonly #where: string;

  constructor(config: WebhookConfig, version: string) {
    this.#config = config;
    this.#version = version;
    this.#where = new URL(config.url).origin;
  }

  /** POSTs `alert`; resolves on 2xx. */
  async send(alert: Alert): Promise<void> {
    const payload: WebhookPayload = { ...alert, dsrVersion: this.#version, sentAt: new Date().toISOString() };
    let response: Response;
    try {
      response = await fetch(this.#config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': `dsr/${this.#version}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#config.timeoutMs),
      });
    } catch (error) {
      const e = error as Error & { cause?: { message?: string } };
      if (e.name === 'TimeoutError') throw new Error(`webhook ${this.#where} did not answer within ${this.#config.timeoutMs / 1000} s`, { cause: error });
      throw new Error(`cannot reach webhook ${this.#where}: ${e.cause?.message ?? e.message}`, { cause: error });
    }
    // The body is not needed; reading it to the end frees the connection for the next alert.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`webhook ${this.#where} answered ${response.status} ${response.statusText}`.trimEnd());
  }
}
