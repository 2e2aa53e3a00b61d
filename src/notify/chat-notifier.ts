// Alerts to where teams look: a Slack- or Discord-compatible incoming webhook, or an ntfy topic.
// One attempt per `send`, like the JSON webhook; retries and one-per-incident are the Alerter's.
import type { Alert } from './alert.js';
import { chatRequest, type ChatKind } from './chat-payloads.js';
import type { Notifier } from './notifier.js';

/** One chat channel: where to post and, for ntfy, an optional access token. */
export interface ChatConfig {
  kind: ChatKind;
  url: string;
  /** ntfy access token (Authorization: Bearer); never logged. */
  token: string | null;
  timeoutMs: number;
}

/** Posts alerts to one chat service; rejects on a non-2xx answer or after the timeout. */
export class ChatNotifier implements Notifier {
  readonly name: string;
  readonly #config: ChatConfig;
  readonly #version: string;
  /** Where, for messages: the origin only, as incoming-webhook paths are secrets. */
  readonly #where: string;

  constructor(config: ChatConfig, version: string) {
    this.#config = config;
    this.#version = version;
    this.name = config.kind;
    this.#where = new URL(config.url).origin;
  }

  /** Posts `alert`; resolves on 2xx. */
  async send(alert: Alert): Promise<void> {
    const request = chatRequest(this.#config.kind, alert);
    const headers: Record<string, string> = { ...request.headers, 'user-agent': `dsr/${this.#version}` };
    if (this.#config.token) headers.authorization = `Bearer ${this.#config.token}`;
    let response: Response;
    try {
      response = await fetch(this.#config.url, { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(this.#config.timeoutMs) });
    } catch (error) {
      const e = error as Error & { cause?: { message?: string } };
      if (e.name === 'TimeoutError') throw new Error(`${this.name} ${this.#where} did not answer within ${this.#config.timeoutMs / 1000} s`, { cause: error });
      throw new Error(`cannot reach ${this.name} ${this.#where}: ${e.cause?.message ?? e.message}`, { cause: error });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`${this.name} ${this.#where} answered ${response.status} ${response.statusText}`.trimEnd());
  }
}
