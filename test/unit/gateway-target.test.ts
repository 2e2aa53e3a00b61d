import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { climbsOut, normalizePrefix, parseTarget, underPrefix } from '../../src/gateway/target.js';
import type { Target } from '../../src/gateway/target.js';

describe('request targets', () => {
  const cases: Array<[string, string, Target]> = [
    ['a path under a service', '/gateway/web/a/b', { kind: 'route', service: 'web', path: '/a/b' }],
    ['percent-encodings and the query, exactly', '/gateway/web/a%2Fb%20c?x=%2F&y', { kind: 'route', service: 'web', path: '/a%2Fb%20c?x=%2F&y' }],
    ['the service root without a slash', '/gateway/web', { kind: 'route', service: 'web', path: '/' }],
    ['the service root with a slash', '/gateway/web/', { kind: 'route', service: 'web', path: '/' }],
    ['a query on the service root', '/gateway/web?a=1', { kind: 'route', service: 'web', path: '/?a=1' }],
    ['dots inside a segment', '/gateway/web/v1.2/file..txt', { kind: 'route', service: 'web', path: '/v1.2/file..txt' }],
    ['a URL in the query', '/gateway/web/?next=../../x', { kind: 'route', service: 'web', path: '/?next=../../x' }],
    ['another path', '/api/services', { kind: 'pass' }],
    ['a path that only starts like the prefix', '/gatewayx/web/', { kind: 'pass' }],
    ['the asterisk form', '*', { kind: 'pass' }],
    ['an absolute-form target elsewhere', 'http://evil.example/x', { kind: 'pass' }],
    ['an absolute-form target at the gateway', 'http://evil.example/gateway/web/', { kind: 'reject', status: 400, error: 'absolute-form request targets are not accepted by the gateway' }],
    ['the bare prefix', '/gateway', { kind: 'reject', status: 404, error: 'no service named in the path: use /<prefix>/<service>/' }],
    ['an empty service segment', '/gateway//x', { kind: 'reject', status: 404, error: 'no service named in the path: use /<prefix>/<service>/' }],
    ['an invalid service name', '/gateway/Web/', { kind: 'reject', status: 404, error: 'unknown service', service: 'Web' }],
    ['an encoded slash in the service name', '/gateway/a%2fb/', { kind: 'reject', status: 404, error: 'unknown service', service: 'a%2fb' }],
    ['a dot-dot segment', '/gateway/web/a/../b', { kind: 'reject', status: 400, error: 'path must not contain dot segments or backslashes', service: 'web' }],
  ];
  for (const [name, url, expected] of cases) it(`reads ${name}`, () => assert.deepEqual(parseTarget(url, '/gateway'), expected));

  const climbs: Array<[string, boolean]> = [
    ['/a/b', false], ['/a.b/c..d', false], ['/%41', false], ['/?q=..', false],
    ['/..', true], ['/.', true], ['/a/./b', true], ['/%2e%2e/x', true], ['/%2E./x', true], ['/a%2f..%2fb', true],
    ['/a\\b', true], ['/a%5Cb', true],
  ];
  for (const [path, expected] of climbs) it(`${expected ? 'refuses' : 'allows'} ${path}`, () => assert.equal(climbsOut(path), expected));

  const prefixes: Array<[string, string]> = [['gateway', '/gateway'], ['/gateway/', '/gateway'], ['//a/b//', '/a/b'], ['/', '']];
  for (const [raw, normal] of prefixes) it(`normalises prefix ${JSON.stringify(raw)}`, () => assert.equal(normalizePrefix(raw), normal));

  it('matches a prefix only at a segment boundary', () => {
    assert.deepEqual(['/edge', '/edge/', '/edge?x', '/edgex', '/edg'].map((u) => underPrefix(u, '/edge')), [true, true, true, false, false]);
  });
});
