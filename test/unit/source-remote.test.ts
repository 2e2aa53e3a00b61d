import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { parsePoll, remoteConfig, RemoteConfigError, urlScheme, type RemoteInputs } from '../../src/source/remote-config.js';
import { gitEnvironment, redact } from '../../src/source/git-env.js';
import { verifyWebhook } from '../../src/source/webhook-signature.js';

const INPUT: RemoteInputs = { repo: 'https://git.example.com/o/r.git', branch: 'main', path: 'manifests', poll: '30s', token: null, username: null, sshKey: null, knownHosts: null };

describe('remote repository configuration', () => {
  const schemes: Array<[string, string]> = [
    ['https://github.com/o/r.git', 'https'], ['http://127.0.0.1:3000/o/r', 'http'], ['ssh://git@host/o/r.git', 'ssh'],
    ['git@github.com:o/r.git', 'ssh'], ['git://127.0.0.1/r.git', 'git'], ['file:///srv/r.git', 'file'], ['/srv/r.git', ''],
  ];
  for (const [url, scheme] of schemes) it(`reads the scheme of ${url} as ${scheme || 'none'}`, () => assert.equal(urlScheme(url), scheme));

  const valid: Array<{ name: string; input: Partial<RemoteInputs>; check: (c: ReturnType<typeof remoteConfig>) => void }> = [
    { name: 'https without a token', input: {}, check: (c) => assert.deepEqual(c, { url: INPUT.repo, branch: 'main', path: 'manifests', pollMs: 30_000, credentials: { kind: 'none' } }) },
    { name: 'https with a token and the default user', input: { token: 't0k' }, check: (c) => assert.deepEqual(c.credentials, { kind: 'token', username: 'x-access-token', token: 't0k' }) },
    { name: 'a path of ./ is the top level', input: { path: './' }, check: (c) => assert.equal(c.path, '') },
    { name: 'a path keeps nested folders, without a trailing slash', input: { path: 'deploy/prod/' }, check: (c) => assert.equal(c.path, 'deploy/prod') },
    { name: 'ssh with a key and known_hosts', input: { repo: 'git@host:o/r.git', sshKey: '/k', knownHosts: '/kh' }, check: (c) => assert.deepEqual(c.credentials, { kind: 'ssh', key: '/k', knownHosts: '/kh' }) },
    { name: 'git:// needs nothing', input: { repo: 'git://127.0.0.1:9418/r.git' }, check: (c) => assert.equal(c.credentials.kind, 'none') },
  ];
  for (const c of valid) it(`accepts ${c.name}`, () => c.check(remoteConfig({ ...INPUT, ...c.input })));

  const invalid: Array<{ name: string; input: Partial<RemoteInputs>; message: RegExp }> = [
    { name: 'a token inside the URL, without echoing it', input: { repo: 'https://me:s3cret@github.com/o/r.git' }, message: /must not carry credentials.*DSR_GIT_TOKEN/ },
    { name: 'a user inside an https URL', input: { repo: 'https://s3cret@github.com/o/r.git' }, message: /must not carry credentials/ },
    { name: 'a plain path', input: { repo: '/srv/r.git' }, message: /must be an https:\/\/.*file:\/\/ URL/ },
    { name: 'a branch that looks like an option', input: { branch: '--upload-pack=x' }, message: /--branch \(DSR_BRANCH\) must be a branch name/ },
    { name: 'a path leaving the repository', input: { path: '../etc' }, message: /--path \(DSR_REPO_PATH\) must be a folder inside/ },
    { name: 'ssh without known_hosts', input: { repo: 'git@host:o/r.git', sshKey: '/k' }, message: /DSR_GIT_KNOWN_HOSTS is not/ },
    { name: 'ssh without a key', input: { repo: 'ssh://git@host/o/r.git' }, message: /needs DSR_GIT_SSH_KEY/ },
    { name: 'a token for git://', input: { repo: 'git://host/r.git', token: 't' }, message: /takes no token/ },
    { name: 'a poll under a second', input: { poll: '500ms' }, message: /at least 1s/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name}`, () => assert.throws(() => remoteConfig({ ...INPUT, ...c.input }), (e: unknown) => e instanceof RemoteConfigError && c.message.test(e.message) && !e.message.includes('s3cret')));
  }
  it('parses poll intervals', () => assert.deepEqual(['1s', '30s', '5m', '1h'].map(parsePoll), [1000, 30_000, 300_000, 3_600_000]));
});

describe('git environment for a remote', () => {
  it('passes a token as an Authorization header scoped to the URL, never in an argument', () => {
    const env = gitEnvironment('https://git.example.com/o/r.git', { kind: 'token', username: 'x-access-token', token: 't0k3n' });
    assert.deepEqual(env, {
      GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '', GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://git.example.com/o/r.git.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('x-access-token:t0k3n').toString('base64')}`,
    });
  });
  it('refuses unknown ssh host keys and never prompts', () => {
    const env = gitEnvironment('git@h:o/r', { kind: 'ssh', key: "/keys/it's", knownHosts: '/kh' });
    assert.equal(env.GIT_SSH_COMMAND, "ssh -i '/keys/it'\\''s' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile='/kh'");
  });
  it('redacts the token and its Basic form from git messages', () => {
    const creds = { kind: 'token', username: 'u', token: 'secret1' } as const;
    const basic = Buffer.from('u:secret1').toString('base64');
    assert.equal(redact(`fatal: secret1 and ${basic}`, creds), 'fatal: *** and ***');
  });
});

describe('webhook signatures', () => {
  const secret = 'hook-secret';
  const body = Buffer.from('{"ref":"refs/heads/main"}');
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  const cases: Array<{ name: string; headers: Record<string, string>; ok: boolean | string }> = [
    { name: 'GitHub X-Hub-Signature-256', headers: { 'x-hub-signature-256': `sha256=${hex}` }, ok: 'github' },
    { name: 'GitHub with upper-case hex', headers: { 'x-hub-signature-256': `sha256=${hex.toUpperCase()}` }, ok: 'github' },
    { name: 'Gitea X-Gitea-Signature', headers: { 'x-gitea-signature': hex }, ok: 'gitea' },
    { name: 'Forgejo X-Forgejo-Signature', headers: { 'x-forgejo-signature': hex }, ok: 'gitea' },
    { name: 'GitLab X-Gitlab-Token', headers: { 'x-gitlab-token': secret }, ok: 'gitlab' },
    { name: 'GitHub signature of another body', headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update('{}').digest('hex')}` }, ok: false },
    { name: 'GitHub sha1 header only', headers: { 'x-hub-signature': `sha1=${hex.slice(0, 40)}` }, ok: false },
    { name: 'a GitHub header without the sha256= prefix', headers: { 'x-hub-signature-256': hex }, ok: false },
    { name: 'a wrong GitLab token', headers: { 'x-gitlab-token': 'hook-secreT' }, ok: false },
    { name: 'a bad GitHub header even with a good GitLab token', headers: { 'x-hub-signature-256': 'sha256=00', 'x-gitlab-token': secret }, ok: false },
    { name: 'no header', headers: {}, ok: false },
  ];
  for (const c of cases) {
    it(`${c.ok ? 'accepts' : 'refuses'} ${c.name}`, () => {
      const verdict = verifyWebhook(secret, c.headers, body);
      if (c.ok) assert.deepEqual(verdict, { ok: true, scheme: c.ok });
      else assert.equal(verdict.ok, false);
    });
  }
});
