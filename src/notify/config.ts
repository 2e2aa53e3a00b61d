// Alert channels from the environment (SPEC §5: the seed's DSR_ENABLE_EMAIL, DSR_SMTP_*,
// DSR_EMAIL_*, and DSR_WEBHOOK_URL; chat: DSR_SLACK_WEBHOOK_URL, DSR_DISCORD_WEBHOOK_URL,
// DSR_NTFY_URL with DSR_NTFY_TOKEN). Read once at startup, so a half-configured channel stops
// `dsr run` with a message naming the variable, instead of failing silently at the first alert.

/** SMTP delivery. `secure` = implicit TLS (port 465); other ports upgrade with STARTTLS when offered. */
export interface EmailConfig {
  host: string;
  port: number;
  secure: boolean;
  /** null: the server accepts mail without login. */
  auth: { user: string; pass: string } | null;
  from: string;
  to: string[];
}

/** The generic JSON webhook. */
export interface WebhookConfig {
  url: string;
  timeoutMs: number;
}

/** The channels that are on; all null/empty = alerts off. */
export interface NotifyConfig {
  email: EmailConfig | null;
  webhook: WebhookConfig | null;
  /** Slack, Discord and ntfy channels, in that order. */
  chat: ChatConfig[];
}

/** A variable is missing or malformed; the message names it and says what to set. */
export class NotifyConfigError extends Error {
  override readonly name = 'NotifyConfigError';
}

import type { ChatConfig } from './chat-notifier.js';
import type { ChatKind } from './chat-payloads.js';

type Env = Readonly<Record<string, string | undefined>>;

const value = (env: Env, name: string): string | null => {
  const v = env[name]?.trim();
  return v ? v : null;
};

function required(env: Env, name: string, what: string): string {
  const v = value(env, name);
  if (v === null) throw new NotifyConfigError(`DSR_ENABLE_EMAIL is on but ${name} is not set: set it to ${what}`);
  return v;
}

/** true|1 → on; unset, empty, false|0 → off; anything else is a mistake worth stopping for. */
function emailEnabled(env: Env): boolean {
  const v = value(env, 'DSR_ENABLE_EMAIL')?.toLowerCase() ?? 'false';
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new NotifyConfigError(`DSR_ENABLE_EMAIL must be true, 1, false or 0, got ${JSON.stringify(env.DSR_ENABLE_EMAIL)}`);
}

function readEmail(env: Env): EmailConfig | null {
  if (!emailEnabled(env)) return null;
  const host = required(env, 'DSR_SMTP_HOST', 'the SMTP server\'s host name (e.g. smtp.example.com)');
  const portText = value(env, 'DSR_SMTP_PORT') ?? '587';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new NotifyConfigError(`DSR_SMTP_PORT must be a port number (1-65535), got ${JSON.stringify(portText)}`);
  const user = value(env, 'DSR_SMTP_USER');
  const pass = env.DSR_SMTP_PASSWORD ? env.DSR_SMTP_PASSWORD : null;
  if (user !== null && pass === null) throw new NotifyConfigError('DSR_SMTP_USER is set but DSR_SMTP_PASSWORD is not: set both to log in, or neither');
  if (user === null && pass !== null) throw new NotifyConfigError('DSR_SMTP_PASSWORD is set but DSR_SMTP_USER is not: set both to log in, or neither');
  const from = required(env, 'DSR_EMAIL_FROM', 'the sender address (e.g. dsr@example.com)');
  if (!from.includes('@')) throw new NotifyConfigError(`DSR_EMAIL_FROM must be an email address, got ${JSON.stringify(from)}`);
  const to = required(env, 'DSR_EMAIL_TO', 'the recipients, comma-separated (e.g. ops@example.com,me@example.com)')
    .split(',').map((a) => a.trim()).filter((a) => a !== '');
  const bad = to.find((a) => !a.includes('@'));
  if (bad !== undefined || to.length === 0) throw new NotifyConfigError(`DSR_EMAIL_TO must list email addresses separated by commas, got ${JSON.stringify(bad ?? env.DSR_EMAIL_TO)}`);
  // As nodemailer does: 465 speaks TLS from the first byte, the others start plain and upgrade.
  return { host, port, secure: port === 465, auth: user !== null && pass !== null ? { user, pass } : null, from, to };
}

/** The http(s) URL in variable `name`, or null when unset; throws naming the variable. */
function readUrl(env: Env, name: string, example: string): string | null {
  const url = value(env, name);
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL is not echoed: webhook URLs often carry a secret token.
    throw new NotifyConfigError(`${name} must be an http(s) URL (e.g. ${example}), and it does not parse as a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new NotifyConfigError(`${name} must be an http(s) URL, got a ${parsed.protocol} URL`);
  return url;
}

function readWebhook(env: Env): WebhookConfig | null {
  const url = readUrl(env, 'DSR_WEBHOOK_URL', 'https://hooks.example.com/dsr');
  return url === null ? null : { url, timeoutMs: 10_000 };
}

const CHAT_VARIABLES: Array<{ kind: ChatKind; name: string; example: string }> = [
  { kind: 'slack', name: 'DSR_SLACK_WEBHOOK_URL', example: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  { kind: 'discord', name: 'DSR_DISCORD_WEBHOOK_URL', example: 'https://discord.com/api/webhooks/123/XXXX' },
  { kind: 'ntfy', name: 'DSR_NTFY_URL', example: 'https://ntfy.sh/my-dsr-alerts' },
];

function readChat(env: Env): ChatConfig[] {
  const channels: ChatConfig[] = [];
  for (const { kind, name, example } of CHAT_VARIABLES) {
    const url = readUrl(env, name, example);
    if (url !== null) channels.push({ kind, url, token: kind === 'ntfy' ? value(env, 'DSR_NTFY_TOKEN') : null, timeoutMs: 10_000 });
  }
  if (value(env, 'DSR_NTFY_TOKEN') !== null && !channels.some((c) => c.kind === 'ntfy')) {
    throw new NotifyConfigError('DSR_NTFY_TOKEN is set but DSR_NTFY_URL is not: set DSR_NTFY_URL to the topic URL (e.g. https://ntfy.sh/my-dsr-alerts)');
  }
  return channels;
}

/** Reads the alert channels from `env`; throws NotifyConfigError naming the first bad variable. */
export function readNotifyConfig(env: Env): NotifyConfig {
  return { email: readEmail(env), webhook: readWebhook(env), chat: readChat(env) };
}
