// Email alerts against a real SMTP server (smtp-server) on 127.0.0.1, with login and without TLS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { MemoryEventLog } from '../../src/events/memory-event-log.js';
import { Alerter } from '../../src/notify/alerter.js';
import { createNotifiers } from '../../src/notify/channels.js';
import { readNotifyConfig } from '../../src/notify/config.js';
import { waitFor } from '../helpers/wait.js';

interface Received {
  from: string;
  to: string[];
  headers: Map<string, string>;
  body: string;
}

/** Splits a raw message into headers and a body decoded from quoted-printable (nodemailer's choice for long lines). */
function parse(raw: string, from: string, to: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  if (headers.get('content-transfer-encoding') === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { from, to, headers, body: body.replace(/\r\n/g, '\n') };
}

/** A local SMTP server that accepts user dsr / password s3cret and keeps every message. */
async function startSmtp(port = 0): Promise<{ server: SMTPServer; port: number; messages: Received[]; logins: string[] }> {
  const messages: Received[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      if (auth.username === 'dsr' && auth.password === 's3cret') callback(null, { user: 'dsr' });
      else callback(new Error('invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push(parse(Buffer.concat(chunks).toString('latin1'), from, session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.server.address() as AddressInfo).port, messages, logins };
}

const stopSmtp = (s: SMTPServer): Promise<void> => new Promise((resolve) => s.close(() => resolve()));

function emailEnv(port: number): Record<string, string> {
  return {
    DSR_ENABLE_EMAIL: 'true', DSR_SMTP_HOST: '127.0.0.1', DSR_SMTP_PORT: String(port), DSR_SMTP_USER: 'dsr', DSR_SMTP_PASSWORD: 's3cret',
    DSR_EMAIL_FROM: 'dsr@example.test', DSR_EMAIL_TO: 'ops@example.test, oncall@example.test',
  };
}

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

describe('email alerts through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
  });
  after(async () => {
    await stopSmtp(smtp.server);
  });

  it('mails an aborted rollout with a subject and a body a person can act on', async () => {
    const events = new MemoryEventLog();
    const logs: string[] = [];
    const alerter = new Alerter({ events, notifiers: createNotifiers(readNotifyConfig(emailEnv(smtp.port)), '0.1.0'), log: (m) => logs.push(m) });
    alerter.start();
    await events.append({
      kind: 'rollout.aborted', service: 'web', version: 'v2', revision: COMMIT,
      message: 'rollout of v2 aborted: analysis failed: 5xx rate 12.0% above 5%; 100% back to v1',
      data: { reason: 'analysis failed: 5xx rate 12.0% above 5%', step: 1, weight: 10, stable: 'v1' },
    });
    const mail = await waitFor('the alert email', () => smtp.messages[0], 10_000);
    await alerter.stop();

    assert.deepEqual(smtp.logins, ['dsr']);
    assert.equal(mail.from, 'dsr@example.test');
    assert.deepEqual(mail.to, ['ops@example.test', 'oncall@example.test']);
    assert.equal(mail.headers.get('subject'), '[dsr warning] web/v2: rollout aborted (analysis failed: 5xx rate 12.0% above 5%)');
    assert.equal(mail.headers.get('x-dsr-alert-key'), 'rollout.aborted:web/v2');
    // What happened, to what, why, under which commit, and what to do next.
    assert.match(mail.body, /The rollout of web v2 \(commit 0123456789ab\) was aborted at step 2 with 10% of traffic on it\. All traffic is back on v1\./);
    assert.match(mail.body, /Why:\n {2}analysis failed: 5xx rate 12\.0% above 5%/);
    assert.match(mail.body, /Where: service web, version v2, commit 0123456789ab/);
    assert.match(mail.body, /run "dsr retry web" to roll v2 out again from step 1/);
    assert.match(mail.body, /DSR events: #1 \(dsr events --service web\)/);
    assert.ok(logs.some((l) => l.includes('alerts: on, through email')));
  });

  it('mails an invalid manifest once per file and revision, pointing at the line to fix', async () => {
    smtp.messages.length = 0;
    const events = new MemoryEventLog();
    const alerter = new Alerter({ events, notifiers: createNotifiers(readNotifyConfig(emailEnv(smtp.port)), '0.1.0'), log: () => undefined });
    alerter.start();
    const invalid = {
      kind: 'manifest.invalid', service: 'web', revision: COMMIT,
      message: 'web.yaml is invalid; web kept at the last valid state',
      data: { file: 'web.yaml', services: ['web'], errors: [{ file: 'web.yaml', line: 10, column: 7, path: 'spec.versions[0].replicas', message: 'must be an integer from 0 to 100' }] },
    };
    await events.append(invalid);
    await events.append(invalid); // the same file at the same commit: no second mail
    await alerter.idle();
    await alerter.stop();
    assert.equal(smtp.messages.length, 1);
    const mail = smtp.messages[0]!;
    assert.equal(mail.headers.get('subject'), '[dsr warning] manifest web.yaml is invalid at 0123456789ab');
    assert.match(mail.body, /line 10, column 7: spec\.versions\[0\]\.replicas: must be an integer from 0 to 100/);
    assert.match(mail.body, /fix web\.yaml line 10 \(spec\.versions\[0\]\.replicas\) and commit/);
  });

  it('retries while the SMTP server is down and delivers once it is up', async () => {
    const probe = await startSmtp();
    const port = probe.port;
    await stopSmtp(probe.server); // the port is now refused
    const events = new MemoryEventLog();
    const logs: string[] = [];
    const alerter = new Alerter({
      events, notifiers: createNotifiers(readNotifyConfig(emailEnv(port)), '0.1.0'), log: (m) => logs.push(m),
      retry: { initialMs: 100, maxMs: 400, maxAttempts: 30 },
    });
    alerter.start();
    await events.append({ kind: 'docker.unavailable', message: 'docker unavailable: connect ENOENT /var/run/docker.sock', data: { error: 'connect ENOENT /var/run/docker.sock' } });
    await waitFor('two failed attempts', () => logs.filter((l) => l.includes('ECONNREFUSED')).length >= 2, 10_000, 20);
    const up = await startSmtp(port);
    try {
      const mail = await waitFor('the alert email after the server came up', () => up.messages[0], 10_000);
      assert.equal(mail.headers.get('subject'), '[dsr critical] Docker engine unavailable: DSR cannot reconcile');
      assert.match(mail.body, /systemctl status docker/);
      assert.match(logs.join('\n'), /alerts: email: sending "Docker engine unavailable: DSR cannot reconcile" failed \(attempt 1\/30\): SMTP 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
      await waitFor('the recovery log line', () => logs.some((l) => /delivered "Docker engine unavailable: DSR cannot reconcile" on attempt \d+/.test(l)), 5_000);
    } finally {
      await alerter.stop();
      await stopSmtp(up.server);
    }
  });

  it('a hung SMTP server delays neither the event log nor its subscribers, and its queue stays bounded', async () => {
    // Accepts connections and never says a word: nodemailer would wait for the greeting.
    const sockets = new Set<Socket>();
    const hung: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as AddressInfo).port;
    const events = new MemoryEventLog();
    const logs: string[] = [];
    const alerter = new Alerter({ events, notifiers: createNotifiers(readNotifyConfig(emailEnv(port)), '0.1.0'), log: (m) => logs.push(m), queueLimit: 20 });
    alerter.start();
    try {
      for (let i = 0; i < 200; i++) {
        await events.append({ kind: 'manifest.invalid', revision: `r${i}`, message: 'invalid', data: { file: 'web.yaml', errors: [] } });
      }
      // Every append returned while the server has not said a word: had an append waited for the
      // delivery, the loop would still be stuck on the first one (the server never greets).
      await waitFor('the first connection', () => sockets.size > 0, 5_000, 10);
      assert.equal(events.lastId(), 200);
      // 200 alerts: at most one in flight, 20 waiting, the rest dropped oldest first with a log line each.
      const dropped = logs.filter((l) => l.includes('queue full (20 waiting)')).length;
      assert.ok(dropped === 179 || dropped === 180, `${dropped} alerts dropped`);
    } finally {
      await alerter.stop(100);
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
    assert.match(logs.join('\n'), /alerts: email: (19|20) alert\(s\) not delivered at shutdown/);
  });
});
