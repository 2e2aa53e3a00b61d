// Alerts from a running `dsr run` (real process, real Docker): a bad commit reaches a local
// webhook and a local SMTP server as one alert each, naming the file, the line and the commit.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { describeDocker } from '../helpers/docker.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { waitFor } from '../helpers/wait.js';

interface Posted {
  type: string;
  subject: string;
  text: string;
  revision: string | null;
  dsrVersion: string;
}

describeDocker('alerts from a running DSR', (env) => {
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-notify-data-'));
  const posted: Posted[] = [];
  const mails: string[] = [];
  let hook: Server;
  let smtp: SMTPServer;
  let dsr: DsrProcess | null = null;

  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push(JSON.parse(body) as Posted);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    smtp = new SMTPServer({
      secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('latin1')));
        stream.on('end', () => {
          // Undo quoted-printable soft breaks and escapes enough to search the text.
          mails.push(raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\r\n/g, '\n'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  });

  after(async () => {
    await dsr?.kill('SIGTERM');
    hook.closeAllConnections();
    await new Promise((resolve) => hook.close(resolve));
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('an invalid manifest commit is mailed and posted once, with the file, line, commit and next step', async () => {
    repo.write('web.yaml', manifest('web'));
    repo.commit('web v1');
    const port = await freePort();
    dsr = await startDsr(['--manifests', repo.dir, '--data', data], {
      DSR_OWNER: env.owner,
      DSR_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/dsr`,
      DSR_ENABLE_EMAIL: 'true', DSR_SMTP_HOST: '127.0.0.1', DSR_SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
      DSR_SMTP_USER: '', DSR_SMTP_PASSWORD: '', DSR_EMAIL_FROM: 'dsr@example.test', DSR_EMAIL_TO: 'ops@example.test',
    }, port);
    assert.match(dsr.output(), /alerts: on, through email and webhook/);
    await waitFor('web healthy', async () => {
      const res = await fetch(`${dsr!.url}/api/services/web`);
      return res.ok && ((await res.json()) as { phase: string }).phase === 'Healthy';
    }, 60_000);

    repo.write('web.yaml', manifest('web').replace('replicas: 1', 'replicas: -1'));
    const bad = repo.commit('web: a typo');
    const alert = await waitFor('the manifest.invalid webhook call', () => posted.find((p) => p.type === 'manifest.invalid'), 30_000);
    assert.equal(alert.revision, bad);
    assert.match(alert.subject, new RegExp(`^manifest web\\.yaml is invalid at ${bad.slice(0, 12)}$`));
    assert.match(alert.text, /web stays at the last valid state/);
    assert.match(alert.text, /fix web\.yaml line 16 \(spec\.versions\[0\]\.replicas\) and commit/);
    const mail = await waitFor('the alert email', () => mails.find((m) => m.includes('manifest web.yaml is invalid')), 30_000);
    assert.match(mail, /^Subject: \[dsr warning\] manifest web\.yaml is invalid at [0-9a-f]{12}$/m);
    assert.match(mail, /fix web\.yaml line 16/);

    // A later, unrelated poll of the same commit must not alert again.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(posted.filter((p) => p.type === 'manifest.invalid').length, 1);
    assert.equal(mails.filter((m) => m.includes('manifest web.yaml is invalid')).length, 1);
  });
});
