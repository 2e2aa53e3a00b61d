// The gates' token without set-up: `<data>/token` on the server side, and which token the CLI sends.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliToken, ensureTokenFile, isLoopbackUrl, serverToken } from '../../src/cli/token.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-token-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('isLoopbackUrl', () => {
  const cases: Array<[string, boolean]> = [
    ['http://127.0.0.1:8000', true],
    ['http://127.1.2.3', true],
    ['http://localhost:8000', true],
    ['http://LOCALHOST', true],
    ['http://[::1]:8000', true],
    ['http://10.0.0.5:8000', false],
    ['http://dsr.example.com', false],
    ['http://127.0.0.1.nip.io', false],
    ['http://0.0.0.0:8000', false],
    ['not a url', false],
  ];
  for (const [url, want] of cases) it(`${url} → ${want}`, () => assert.equal(isLoopbackUrl(url), want));
});

describe('the server token', () => {
  it('DSR_TOKEN wins and no file is written', async () => {
    const dir = tempDir();
    const t = await serverToken('s3cret', dir);
    assert.deepEqual([t.token, t.file, t.hint], ['s3cret', null, 'the DSR_TOKEN DSR was started with']);
    assert.throws(() => statSync(join(dir, 'token')), /ENOENT/);
  });

  it('without DSR_TOKEN writes a random token readable by its owner only, and says where it is', async () => {
    const dir = tempDir();
    const t = await serverToken(undefined, dir);
    assert.equal(t.created, true);
    assert.match(t.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(join(dir, 'token')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, 'token'), 'utf8').trim(), t.token);
    assert.equal(t.hint, `see ${join(dir, 'token')} on the host`);
    assert.ok(!t.hint.includes(t.token), 'the hint never shows the token');
  });

  it('reuses the token across restarts', async () => {
    const dir = tempDir();
    const first = await serverToken(undefined, dir);
    const second = await serverToken(undefined, dir);
    assert.equal(second.token, first.token);
    assert.equal(second.created, false);
  });

  it('tightens a token file others could read, and replaces an empty one', async () => {
    const dir = tempDir();
    const file = join(dir, 'token');
    writeFileSync(file, 'kept\n');
    chmodSync(file, 0o644);
    assert.deepEqual(await ensureTokenFile(file), { token: 'kept', created: false });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    writeFileSync(file, '\n');
    const fresh = await ensureTokenFile(file);
    assert.equal(fresh.created, true);
    assert.equal(readFileSync(file, 'utf8').trim(), fresh.token);
  });
});

describe('the token the CLI sends', () => {
  it('DSR_TOKEN wins, for any address', async () => {
    assert.deepEqual(await cliToken('promote', 'http://10.0.0.5:8000', 'env-token', '/nonexistent'), { token: 'env-token', from: 'DSR_TOKEN' });
  });

  it('reads <data>/token for a DSR on loopback', async () => {
    const dir = tempDir();
    const { token } = await serverToken(undefined, dir);
    assert.deepEqual(await cliToken('promote', 'http://127.0.0.1:8000', undefined, dir), { token, from: join(dir, 'token') });
  });

  it('never sends the local token to another host', async () => {
    const dir = tempDir();
    await serverToken(undefined, dir);
    await assert.rejects(cliToken('promote', 'http://10.0.0.5:8000', undefined, dir), /dsr promote needs DSR_TOKEN for the DSR at http:\/\/10\.0\.0\.5:8000/);
  });

  it('says which folder it looked in when there is no token file', async () => {
    const dir = tempDir();
    await assert.rejects(cliToken('retry', 'http://127.0.0.1:8000', undefined, dir), new RegExp(`dsr retry: DSR_TOKEN is not set and ${join(dir, 'token')} does not exist: pass --data`));
  });
});
