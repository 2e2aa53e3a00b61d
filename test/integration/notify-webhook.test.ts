// Webhook alerts against local HTTP servers on 127.0.0.1: one that answers, one that is down,
// one that answers 500, one that never answers; and the event log never waits for any of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import { MemoryEventLog } from '../../src/events/memory-event-log.js';
import { Alerter } from '../../src/notify/alerter.js';
import { createNotifiers } from '../../src/notify/channels.js';
import { readNotifyConfig } from '../../src/notify/config.js';
import type { WebhookPayload } from '../../src/notify/webhook-notifier.js';
import { WebhookNotifier } from '../../src/notify/webhook-notifier.js';
import { waitFor } from '../helpers/wait.js';

interface Hit {
  at: number;
  headers: IncomingMessage['headers'];
  body: WebhookPayload;
}

/** An HTTP server that records every POST and answers with `status(n)` for the n-th one (from 1). */
async function startHook(status: (n: number) => number | 'hang' = () => 204, port = 0): Promise<{ server: Server; url: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ at: Date.now(), headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload });
      const answer = status(hits.length);
      if (answer !== 'hang') res.writeHead(answer).end(answer >= 400 ? 'boom' : '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/dsr/T0KEN`, hits };
}

async function stopHook(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const FAST_RETRY = { initialMs: 100, maxMs: 800, maxAttempts: 20 };
const aborted = {
  kind: 'rollout.aborted', service: 'web', version: 'v2', revision: '0123456789abcdef0123456789abcdef01234567',
  message: 'rollout of v2 aborted: analysis failed: p99 latency 900 ms above 500 ms; 100% back to v1',
  data: { reason: 'analysis failed: p99 latency 900 ms above 500 ms', step: 0, weight: 5, stable: 'v1' },
};

function alerterFor(url: string, events: MemoryEventLog | JsonlEventLog, logs: Array<{ at: number; line: string }>, extra = {}): Alerter {
  return new Alerter({
    events, notifiers: createNotifiers(readNotifyConfig({ DSR_WEBHOOK_URL: url }), '0.1.0'),
    log: (line) => logs.push({ at: Date.now(), line }), retry: FAST_RETRY, ...extra,
  });
}

describe('webhook alerts', () => {
  it('posts the alert as JSON with dsrVersion and sentAt', async () => {
    const hook = await startHook();
    const events = new MemoryEventLog();
    const alerter = alerterFor(hook.url, events, []);
    alerter.start();
    try {
      const event = await events.append(aborted);
      const hit = await waitFor('the webhook call', () => hook.hits[0], 10_000);
      assert.equal(hit.headers['content-type'], 'application/json');
      assert.equal(hit.headers['user-agent'], 'dsr/0.1.0');
      const { text, sentAt, time, ...fields } = hit.body;
      assert.deepEqual(fields, {
        key: 'rollout.aborted:web/v2', type: 'rollout.aborted', severity: 'warning',
        subject: 'web/v2: rollout aborted (analysis failed: p99 latency 900 ms above 500 ms)',
        service: 'web', version: 'v2', revision: aborted.revision, eventIds: [event.id], dsrVersion: '0.1.0',
      });
      assert.match(text, /All traffic is back on v1/);
      assert.match(text, /dsr retry web/);
      assert.ok(Date.parse(sentAt) >= Date.parse(time), `sentAt ${sentAt} is not after ${time}`);
    } finally {
      await alerter.stop();
      await stopHook(hook.server);
    }
  });

  it('ten instance failures of one version in a minute post one alert', async () => {
    const hook = await startHook();
    const events = new MemoryEventLog();
    const alerter = alerterFor(hook.url, events, [], { policy: { groupMs: 1_000, quietMs: 60_000 } });
    alerter.start();
    try {
      for (let i = 1; i <= 10; i++) {
        await events.append({
          kind: 'instance.failed', service: 'web', version: 'v1', revision: 'r1', message: `removed dsr-web-v1-${i}: container exited with code 1`,
          data: { container: `dsr-web-v1-${i}`, containerId: `id${i}`, reason: 'container exited with code 1' },
        });
      }
      await waitFor('the grouped alert', () => hook.hits[0], 10_000);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(hook.hits.length, 1);
      assert.equal(hook.hits[0]!.body.subject, 'web/v1: 10 instances replaced in 1 s');
      assert.deepEqual(hook.hits[0]!.body.eventIds, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await alerter.stop();
      await stopHook(hook.server);
    }
  });

  it('retries a refused port with growing waits and delivers once the server is up', async () => {
    const probe = await startHook();
    const port = (probe.server.address() as AddressInfo).port;
    await stopHook(probe.server); // nothing listens there now
    const events = new MemoryEventLog();
    const logs: Array<{ at: number; line: string }> = [];
    const alerter = alerterFor(probe.url, events, logs);
    alerter.start();
    let hook: Awaited<ReturnType<typeof startHook>> | null = null;
    try {
      await events.append(aborted);
      const failures = (): Array<{ at: number; line: string }> => logs.filter((l) => l.line.includes('ECONNREFUSED'));
      await waitFor('three refused attempts', () => failures().length >= 3, 10_000, 10);
      hook = await startHook(() => 204, port);
      const hit = await waitFor('the alert after the server came up', () => hook!.hits[0], 10_000);
      assert.equal(hit.body.key, 'rollout.aborted:web/v2');
      const [a, b, c] = failures();
      // Waits of 100 ms then 200 ms: exponential, not a hot loop.
      assert.ok(b!.at - a!.at >= 90 && c!.at - b!.at >= 190, `waits ${b!.at - a!.at} ms, ${c!.at - b!.at} ms`);
      assert.match(a!.line, /alerts: webhook: sending ".*" failed \(attempt 1\/20\): cannot reach webhook http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/);
      assert.ok(!logs.some((l) => l.line.includes('T0KEN')), 'the webhook path (a secret) must not be logged');
      await waitFor('the recovery line', () => logs.some((l) => /delivered ".*" on attempt \d+/.test(l.line)), 5_000);
    } finally {
      await alerter.stop();
      if (hook) await stopHook(hook.server);
    }
  });

  it('retries a server that answers 500 and stops once it answers 2xx', async () => {
    const hook = await startHook((n) => (n <= 3 ? 500 : 200));
    const events = new MemoryEventLog();
    const logs: Array<{ at: number; line: string }> = [];
    const alerter = alerterFor(hook.url, events, logs);
    alerter.start();
    try {
      await events.append(aborted);
      await waitFor('the fourth call', () => hook.hits.length >= 4, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(hook.hits.length, 4, 'no call after the 200');
      const gaps = hook.hits.slice(1).map((h, i) => h.at - hook.hits[i]!.at);
      assert.ok(gaps[0]! >= 90 && gaps[1]! >= 190 && gaps[2]! >= 390, `gaps ${gaps.join(', ')} ms`);
      assert.ok(hook.hits.every((h) => h.body.key === 'rollout.aborted:web/v2'));
      assert.match(logs.map((l) => l.line).join('\n'), /failed \(attempt 3\/20\): webhook http:\/\/127\.0\.0\.1:\d+ answered 500 Internal Server Error/);
      assert.match(logs.map((l) => l.line).join('\n'), /delivered ".*" on attempt 4/);
    } finally {
      await alerter.stop();
      await stopHook(hook.server);
    }
  });

  it('gives up on a server that never answers after the timeout', async () => {
    const hook = await startHook(() => 'hang');
    try {
      const notifier = new WebhookNotifier({ url: hook.url, timeoutMs: 200 }, '0.1.0');
      const started = Date.now();
      await assert.rejects(notifier.send({
        key: 'k', type: 'docker.unavailable', severity: 'critical', subject: 's', text: 't', service: null, version: null, revision: null, time: new Date().toISOString(), eventIds: [1],
      }), /webhook http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.2 s/);
      assert.ok(Date.now() - started < 2_000);
    } finally {
      await stopHook(hook.server);
    }
  });

  it('the event log subscriber returns at once while the webhook hangs', async () => {
    const hook = await startHook(() => 'hang');
    const dir = await mkdtemp(join(tmpdir(), 'dsr-notify-'));
    const events = await JsonlEventLog.open(dir);
    const logs: Array<{ at: number; line: string }> = [];
    const alerter = alerterFor(hook.url, events, logs, { queueLimit: 10 });
    // Listeners run in subscription order: one just before the alerter's and one just after it
    // time the alerter's callback from outside.
    let enteredAt = 0;
    const alerterMs: number[] = [];
    const unBefore = events.subscribe(() => {
      enteredAt = performance.now();
    });
    alerter.start();
    const unAfter = events.subscribe(() => alerterMs.push(performance.now() - enteredAt));
    try {
      await events.append(aborted);
      await waitFor('the hanging call', () => hook.hits.length === 1, 10_000);
      alerterMs.length = 0;
      const appendMs: number[] = [];
      for (let i = 0; i < 100; i++) {
        const started = performance.now();
        await events.append({ kind: 'manifest.invalid', revision: `r${i}`, message: 'invalid', data: { file: 'web.yaml', errors: [] } });
        appendMs.push(performance.now() - started);
      }
      assert.equal(alerterMs.length, 100);
      assert.ok(Math.max(...alerterMs) < 20, `the alerter's callback took up to ${Math.max(...alerterMs).toFixed(2)} ms`);
      assert.ok(Math.max(...appendMs) < 1_000, `an append took up to ${Math.max(...appendMs).toFixed(1)} ms`);
      assert.equal(hook.hits.length, 1, 'the hung call is still the only one');
      assert.ok(logs.some((l) => l.line.includes('queue full (10 waiting)')));
    } finally {
      unBefore();
      unAfter();
      await alerter.stop(50);
      await stopHook(hook.server);
      await events.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
