// The action routes' bearer-token guard, over real HTTP.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import type { Server } from 'node:http';
import { bearerAuth, tokenMatches, MAX_FAILURES, type BearerAuthOptions } from '../../src/api/auth.js';

async function serve(token: string | null, options: BearerAuthOptions = {}): Promise<{ url: string; server: Server }> {
  const app = express();
  app.post('/act', bearerAuth(token, options), (_req, res) => res.json({ ok: true }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/act`, server };
}

describe('bearer token', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  const matches: Array<[string, string, boolean]> = [['abc', 'abc', true], ['abc', 'abd', false], ['abc', 'abcd', false], ['abc', '', false]];
  for (const [expected, presented, want] of matches) {
    it(`tokenMatches(${JSON.stringify(expected)}, ${JSON.stringify(presented)}) is ${want}`, () => assert.equal(tokenMatches(expected, presented), want));
  }

  it('disables actions with a clear 403 when no token is configured', async () => {
    const { url, server } = await serve(null);
    servers.push(server);
    const res = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer anything' } });
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /DSR_TOKEN/);
  });

  it('accepts the right token, refuses a wrong or missing one, and answers wrong ones 429 past the allowance', async () => {
    const { url, server } = await serve('s3cret', { slowDownMs: 0 });
    servers.push(server);
    assert.equal((await fetch(url, { method: 'POST', headers: { authorization: 'Bearer s3cret' } })).status, 200);
    const missing = await fetch(url, { method: 'POST' });
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { error: string }).error, /missing Authorization/);
    for (let i = 1; i < MAX_FAILURES; i++) {
      assert.equal((await fetch(url, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status, 401);
    }
    const limited = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer wrong' } });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('still accepts the right token after 50 wrong ones from the same address', async () => {
    const { url, server } = await serve('s3cret', { slowDownMs: 0 });
    servers.push(server);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await fetch(url, { method: 'POST', headers: { authorization: `Bearer guess${i}` } })).status);
    assert.deepEqual(new Set(statuses), new Set([401, 429]));
    const right = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer s3cret' } });
    assert.equal(right.status, 200, 'a lockout keyed on 127.0.0.1 must not lock the operator out');
    assert.equal((await fetch(url, { method: 'POST', headers: { authorization: 'Bearer guess51' } })).status, 429, 'a success does not reset the count for the address');
  });

  it('slows down only the wrong attempts past the allowance', async () => {
    const { url, server } = await serve('s3cret', { slowDownMs: 300 });
    servers.push(server);
    for (let i = 0; i < MAX_FAILURES; i++) await fetch(url, { method: 'POST', headers: { authorization: 'Bearer wrong' } });
    let started = Date.now();
    assert.equal((await fetch(url, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status, 429);
    assert.ok(Date.now() - started >= 280, 'the 429 waited');
    started = Date.now();
    assert.equal((await fetch(url, { method: 'POST', headers: { authorization: 'Bearer s3cret' } })).status, 200);
    assert.ok(Date.now() - started < 250, 'the right token did not wait');
  });
});
