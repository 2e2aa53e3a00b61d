import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRoutes } from '../../src/gateway/live-routes.js';
import type { LiveService, LiveState } from '../../src/gateway/live-routes.js';
import { GatewayMetrics } from '../../src/gateway/metrics.js';
import { readCookie, resolveOverride, stickySetCookie, stickyUpdate } from '../../src/gateway/overrides.js';

/** Service 'web' with v1 (90%, 1 instance), v2 (10%, 1 instance), v3 (0%, 1 instance), v4 (0%, none). */
function service(sticky: boolean, ejected: string[] = []): LiveService {
  const metrics = new GatewayMetrics(() => 0);
  const state: LiveState = { instances: new Map(), versions: new Map(), series: (s, v) => metrics.series(s, v) };
  const versions = [['v1', 90, 1], ['v2', 10, 1], ['v3', 0, 1], ['v4', 0, 0]] as const;
  const live = compileRoutes({
    services: new Map([['web', {
      name: 'web',
      sticky,
      versions: versions.map(([name, weight, n]) => ({ name, weight, instances: Array.from({ length: n }, () => ({ id: name, address: { host: '127.0.0.1', port: 1 } })) })),
    }]]),
  }, { services: new Map() }, state);
  for (const id of ejected) state.instances.get(id)!.ejected = true;
  return live.services.get('web')!;
}

describe('version overrides', () => {
  const cases: Array<[string, { sticky: boolean; ejected?: string[] }, string | null, string | null, string | null, boolean]> = [
    // name, service, X-DSR-Version, Cookie, expected pinned, by header
    ['pins the version named by the header', { sticky: false }, 'v2', null, 'v2', true],
    ['pins a weight-0 version by header (trying a version by hand)', { sticky: false }, 'v3', null, 'v3', true],
    ['ignores a header naming an unknown version', { sticky: false }, 'v9', null, null, false],
    ['ignores a header naming a version without a healthy instance', { sticky: false }, 'v4', null, null, false],
    ['ignores a header naming a version whose instances are ejected', { sticky: false, ejected: ['v2'] }, 'v2', null, null, false],
    ['follows the sticky cookie on a sticky service', { sticky: true }, null, 'a=1; dsr-web=v2', 'v2', false],
    ['ignores the cookie on a service that is not sticky', { sticky: false }, null, 'dsr-web=v2', null, false],
    ['ignores a cookie naming a version at weight 0', { sticky: true }, null, 'dsr-web=v3', null, false],
    ['ignores a cookie naming a version without a usable instance', { sticky: true, ejected: ['v2'] }, null, 'dsr-web=v2', null, false],
    ['ignores the cookie of another service', { sticky: true }, null, 'dsr-webshop=v2', null, false],
    ['prefers the header over the cookie', { sticky: true }, 'v1', 'dsr-web=v2', 'v1', true],
  ];
  for (const [name, s, header, cookie, pinned, byHeader] of cases) {
    it(name, () => {
      const o = resolveOverride(service(s.sticky, s.ejected), header, cookie);
      assert.equal(o.pinned?.name ?? null, pinned);
      assert.equal(o.byHeader, byHeader);
    });
  }

  const updates: Array<[string, boolean, string | null, string | null, string, string | null]> = [
    // name, sticky, header, cookie, served, expected Set-Cookie
    ['sets the cookie for a new client of a sticky service', true, null, null, 'v2', 'dsr-web=v2; Path=/gateway/web; HttpOnly; SameSite=Lax'],
    ['sets nothing while the cookie already names the served version', true, null, 'dsr-web=v2', 'v2', null],
    ['moves the cookie when the client had to be served elsewhere', true, null, 'dsr-web=v3', 'v1', 'dsr-web=v1; Path=/gateway/web; HttpOnly; SameSite=Lax'],
    ['sets nothing when the header chose the version', true, 'v2', null, 'v2', null],
    ['sets nothing on a service that is not sticky', false, null, null, 'v1', null],
  ];
  for (const [name, sticky, header, cookie, served, expected] of updates) {
    it(name, () => {
      const svc = service(sticky);
      assert.equal(stickyUpdate('/gateway', svc, resolveOverride(svc, header, cookie), served), expected);
    });
  }

  const cookies: Array<[string | null, string, string | null]> = [
    ['dsr-web=v2', 'dsr-web', 'v2'],
    ['a=1;  dsr-web=v2 ; b=3', 'dsr-web', 'v2'],
    ['dsr-web="v2"', 'dsr-web', 'v2'],
    ['xdsr-web=v2', 'dsr-web', null],
    ['dsr-web', 'dsr-web', null],
    [null, 'dsr-web', null],
  ];
  for (const [header, name, value] of cookies) {
    it(`reads cookie ${name} from ${JSON.stringify(header)} as ${JSON.stringify(value)}`, () => assert.equal(readCookie(header, name), value));
  }

  it('scopes the sticky cookie to the service path', () => {
    assert.equal(stickySetCookie('/edge', 'api', 'v7'), 'dsr-api=v7; Path=/edge/api; HttpOnly; SameSite=Lax');
  });
});
