import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readNotifyConfig, NotifyConfigError, type NotifyConfig } from '../../src/notify/config.js';

const EMAIL = {
  DSR_ENABLE_EMAIL: 'true', DSR_SMTP_HOST: 'smtp.example.com', DSR_SMTP_PORT: '587', DSR_SMTP_USER: 'dsr', DSR_SMTP_PASSWORD: 's3cret',
  DSR_EMAIL_FROM: 'dsr@example.com', DSR_EMAIL_TO: 'ops@example.com, me@example.com',
};

describe('alert channels from the environment', () => {
  const valid: Array<{ name: string; env: Record<string, string>; expected: NotifyConfig }> = [
    { name: 'nothing set: alerts off', env: {}, expected: { email: null, webhook: null, chat: [] } },
    { name: 'DSR_ENABLE_EMAIL=false ignores the SMTP variables', env: { ...EMAIL, DSR_ENABLE_EMAIL: 'false' }, expected: { email: null, webhook: null, chat: [] } },
    {
      name: 'email on with login, STARTTLS port, two recipients',
      env: EMAIL,
      expected: { webhook: null, chat: [], email: { host: 'smtp.example.com', port: 587, secure: false, auth: { user: 'dsr', pass: 's3cret' }, from: 'dsr@example.com', to: ['ops@example.com', 'me@example.com'] } },
    },
    {
      name: 'DSR_ENABLE_EMAIL=1, port 465 is implicit TLS, no login',
      env: { ...EMAIL, DSR_ENABLE_EMAIL: '1', DSR_SMTP_PORT: '465', DSR_SMTP_USER: '', DSR_SMTP_PASSWORD: '' },
      expected: { webhook: null, chat: [], email: { host: 'smtp.example.com', port: 465, secure: true, auth: null, from: 'dsr@example.com', to: ['ops@example.com', 'me@example.com'] } },
    },
    {
      name: 'no port: 587',
      env: { ...EMAIL, DSR_SMTP_PORT: '' },
      expected: { webhook: null, chat: [], email: { host: 'smtp.example.com', port: 587, secure: false, auth: { user: 'dsr', pass: 's3cret' }, from: 'dsr@example.com', to: ['ops@example.com', 'me@example.com'] } },
    },
    {
      name: 'webhook alone',
      env: { DSR_WEBHOOK_URL: 'https://hooks.example.com/dsr/T0KEN' },
      expected: { email: null, webhook: { url: 'https://hooks.example.com/dsr/T0KEN', timeoutMs: 10_000 }, chat: [] },
    },
    {
      name: 'Slack, Discord and ntfy with its token, in that order',
      env: { DSR_NTFY_URL: 'https://ntfy.example.com/dsr', DSR_NTFY_TOKEN: 'tk_1', DSR_DISCORD_WEBHOOK_URL: 'https://discord.example.com/api/webhooks/1/X', DSR_SLACK_WEBHOOK_URL: 'https://hooks.slack.example.com/services/T/B/X' },
      expected: {
        email: null, webhook: null, chat: [
          { kind: 'slack', url: 'https://hooks.slack.example.com/services/T/B/X', token: null, timeoutMs: 10_000 },
          { kind: 'discord', url: 'https://discord.example.com/api/webhooks/1/X', token: null, timeoutMs: 10_000 },
          { kind: 'ntfy', url: 'https://ntfy.example.com/dsr', token: 'tk_1', timeoutMs: 10_000 },
        ],
      },
    },
  ];
  for (const c of valid) {
    it(c.name, () => assert.deepEqual(readNotifyConfig(c.env), c.expected));
  }

  const invalid: Array<{ name: string; env: Record<string, string>; message: RegExp }> = [
    { name: 'email on without a host names DSR_SMTP_HOST', env: { ...EMAIL, DSR_SMTP_HOST: '' }, message: /DSR_ENABLE_EMAIL is on but DSR_SMTP_HOST is not set/ },
    { name: 'email on without a sender names DSR_EMAIL_FROM', env: { ...EMAIL, DSR_EMAIL_FROM: ' ' }, message: /DSR_EMAIL_FROM is not set/ },
    { name: 'email on without recipients names DSR_EMAIL_TO', env: { ...EMAIL, DSR_EMAIL_TO: '' }, message: /DSR_EMAIL_TO is not set/ },
    { name: 'a recipient that is no address', env: { ...EMAIL, DSR_EMAIL_TO: 'ops@example.com, ops' }, message: /DSR_EMAIL_TO must list email addresses.*"ops"/ },
    { name: 'a user without a password', env: { ...EMAIL, DSR_SMTP_PASSWORD: '' }, message: /DSR_SMTP_USER is set but DSR_SMTP_PASSWORD is not/ },
    { name: 'a password without a user', env: { ...EMAIL, DSR_SMTP_USER: '' }, message: /DSR_SMTP_PASSWORD is set but DSR_SMTP_USER is not/ },
    { name: 'a port that is no number', env: { ...EMAIL, DSR_SMTP_PORT: 'smtp' }, message: /DSR_SMTP_PORT must be a port number/ },
    { name: 'a port out of range', env: { ...EMAIL, DSR_SMTP_PORT: '70000' }, message: /DSR_SMTP_PORT must be a port number/ },
    { name: 'DSR_ENABLE_EMAIL=yes is a mistake, not off', env: { ...EMAIL, DSR_ENABLE_EMAIL: 'yes' }, message: /DSR_ENABLE_EMAIL must be true, 1, false or 0/ },
    { name: 'a webhook URL that does not parse, without echoing it', env: { DSR_WEBHOOK_URL: 'hooks/secret-token' }, message: /^DSR_WEBHOOK_URL must be an http\(s\) URL[^]*does not parse as a URL$/ },
    { name: 'a Slack URL that does not parse, without echoing it', env: { DSR_SLACK_WEBHOOK_URL: 'services/secret' }, message: /^DSR_SLACK_WEBHOOK_URL must be an http\(s\) URL/ },
    { name: 'a Discord URL that is not http', env: { DSR_DISCORD_WEBHOOK_URL: 'ftp://example.com/x' }, message: /DSR_DISCORD_WEBHOOK_URL must be an http\(s\) URL, got a ftp: URL/ },
    { name: 'an ntfy token without a topic URL', env: { DSR_NTFY_TOKEN: 'secret' }, message: /DSR_NTFY_TOKEN is set but DSR_NTFY_URL is not/ },
    { name: 'a webhook URL that is not http', env: { DSR_WEBHOOK_URL: 'ftp://example.com/x' }, message: /got a ftp: URL/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => readNotifyConfig(c.env), (e: unknown) => e instanceof NotifyConfigError && c.message.test(e.message) && !e.message.includes('secret'));
    });
  }
});
