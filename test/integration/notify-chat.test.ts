// Chat alerts (Slack- and Discord-compatible incoming webhooks, ntfy) against local HTTP servers
// on 127.0.0.1: each gets the alert in its own format, once per incident, and a failing one is
// retried without the secret path or token reaching the log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryEventLog } from '../../src/events/memory-event-log.js';
import { Alerter } from '../../src/notify/alerter.js';
import { createNotifiers } from '../../src/notify/channels.js';
import { readNotifyConfig } from '../../src/notify/config.js';
import { waitFor } from '../helpers/wait.js';

interface Hit {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function startHook(status: (n: number) => number = () => 200): Promise<{ server: Server; base: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status(hits.length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function stopHook(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const aborted = {
  kind: 'rollout.aborted', service: 'web', version: 'v2', revision: '0123456789abcdef0123456789abcdef01234567',
  message: 'rollout of v2 aborted: analysis failed: error rate 40% above 5%; 100% back to v1',
  data: { reason: 'analysis failed: error rate 40% above 5%', step: 0, weight: 5, stable: 'v1' },
};

describe('chat alerts', () => {
  it('posts one alert per incident to Slack, Discord and ntfy, each in its own format', async () => {
    const hook = await startHook();
    const events = new MemoryEventLog();
    const logs: string[] = [];
    const alerter = new Alerter({
      events,
      notifiers: createNotifiers(readNotifyConfig({
        DSR_SLACK_WEBHOOK_URL: `${hook.base}/slack/services/T0KEN`,
        DSR_DISCORD_WEBHOOK_URL: `${hook.base}/discord/api/webhooks/1/T0KEN`,
        DSR_NTFY_URL: `${hook.base}/ntfy/dsr-alerts`,
        DSR_NTFY_TOKEN: 'tk_S3CRET',
      }), '0.1.0'),
      log: (m) => logs.push(m),
    });
    alerter.start();
    try {
      assert.ok(logs.some((l) => l === 'alerts: on, through slack and discord and ntfy'), logs.join('\n'));
      await events.append(aborted);
      await events.append(aborted); // the same incident: no second message
      await waitFor('three posts', () => hook.hits.length >= 3, 10_000);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(hook.hits.length, 3);
      const by = (prefix: string): Hit => hook.hits.find((h) => h.path.startsWith(prefix))!;

      const slack = JSON.parse(by('/slack').body) as { text: string };
      assert.equal(by('/slack').headers['content-type'], 'application/json');
      assert.match(slack.text, /^🟡 \*web\/v2: rollout aborted \(analysis failed: error rate 40% above 5%\)\*\n```/);
      assert.match(slack.text, /All traffic is back on v1/);

      const discord = JSON.parse(by('/discord').body) as { content: string; allowed_mentions: unknown };
      assert.match(discord.content, /^🟡 \*\*web\/v2: rollout aborted/);
      assert.ok(discord.content.length <= 2000);
      assert.deepEqual(discord.allowed_mentions, { parse: [] });

      const ntfy = by('/ntfy/dsr-alerts');
      assert.equal(ntfy.headers.title, 'web/v2: rollout aborted (analysis failed: error rate 40% above 5%)');
      assert.equal(ntfy.headers.priority, '4');
      assert.equal(ntfy.headers.tags, 'dsr,rollout.aborted,warning');
      assert.equal(ntfy.headers.authorization, 'Bearer tk_S3CRET');
      assert.match(ntfy.body, /dsr retry web/);
      assert.equal(by('/slack').headers.authorization, undefined, 'the ntfy token goes to ntfy only');
    } finally {
      await alerter.stop();
      await stopHook(hook.server);
    }
  });

  it('retries a chat service that answers 500, and logs neither its path nor the token', async () => {
    const hook = await startHook((n) => (n < 3 ? 500 : 200));
    const events = new MemoryEventLog();
    const logs: string[] = [];
    const alerter = new Alerter({
      events,
      notifiers: createNotifiers(readNotifyConfig({ DSR_NTFY_URL: `${hook.base}/T0KEN-topic`, DSR_NTFY_TOKEN: 'tk_S3CRET' }), '0.1.0'),
      log: (m) => logs.push(m),
      retry: { initialMs: 100, maxMs: 400, maxAttempts: 10 },
    });
    alerter.start();
    try {
      await events.append(aborted);
      await waitFor('the third attempt', () => hook.hits.length >= 3, 10_000);
      assert.match(logs.join('\n'), /ntfy http:\/\/127\.0\.0\.1:\d+ answered 500/);
      assert.ok(!logs.some((l) => l.includes('T0KEN') || l.includes('S3CRET')), logs.join('\n'));
    } finally {
      await alerter.stop();
      await stopHook(hook.server);
    }
  });
});
