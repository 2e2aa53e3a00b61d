import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CLIENT_TIMEOUTS, DEFAULT_UPSTREAM_LIMITS, SETTINGS, gatewaySettingsFromEnv } from '../../src/gateway/settings.js';

describe('gateway settings from the environment', () => {
  it('uses the defaults when nothing is set', () => {
    assert.deepEqual(gatewaySettingsFromEnv({}), { client: DEFAULT_CLIENT_TIMEOUTS, upstream: DEFAULT_UPSTREAM_LIMITS });
  });

  it('lists the same defaults it applies', () => {
    const all: Record<string, number> = { ...DEFAULT_CLIENT_TIMEOUTS, ...DEFAULT_UPSTREAM_LIMITS };
    for (const s of SETTINGS) assert.equal(s.default, all[s.key], s.env);
    assert.equal(SETTINGS.length, Object.keys(all).length);
  });

  const read: Array<[string, Record<string, string>, string, number]> = [
    ['seconds', { DSR_GATEWAY_CONNECT_TIMEOUT: '5s' }, 'connectTimeoutMs', 5000],
    ['milliseconds with a unit', { DSR_GATEWAY_CLIENT_BODY_TIMEOUT: '500ms' }, 'bodyIdleTimeoutMs', 500],
    ['plain milliseconds', { DSR_GATEWAY_UPSTREAM_HEADERS_TIMEOUT: '1500' }, 'upstreamTimeoutMs', 1500],
    ['minutes', { DSR_GATEWAY_UPSTREAM_BODY_TIMEOUT: '2m' }, 'upstreamBodyIdleTimeoutMs', 120_000],
    ['a count', { DSR_GATEWAY_CONNECTIONS: '16' }, 'connectionsPerInstance', 16],
    ['an empty value as unset', { DSR_GATEWAY_QUEUE: '' }, 'queuePerInstance', 256],
  ];
  for (const [name, env, key, expected] of read) {
    it(`reads ${name}`, () => {
      const { client, upstream } = gatewaySettingsFromEnv(env);
      assert.equal({ ...client, ...upstream }[key as keyof typeof client], expected);
    });
  }

  const wrong: Array<[string, Record<string, string>]> = [
    ['a word', { DSR_GATEWAY_CONNECT_TIMEOUT: 'soon' }],
    ['zero', { DSR_GATEWAY_CLIENT_HEADERS_TIMEOUT: '0s' }],
    ['an hour unit', { DSR_GATEWAY_CLIENT_KEEPALIVE_TIMEOUT: '1h' }],
    ['a count with a unit', { DSR_GATEWAY_CONNECTIONS: '10s' }],
    ['a negative count', { DSR_GATEWAY_QUEUE: '-1' }],
  ];
  for (const [name, env] of wrong) {
    it(`refuses ${name}, naming the variable`, () => {
      assert.throws(() => gatewaySettingsFromEnv(env), (err: Error) => err.name === 'GatewaySettingError' && err.message.includes(Object.keys(env)[0]!));
    });
  }
});
