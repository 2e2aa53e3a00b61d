// The gateway's timeouts and limits: one table of defaults, each with the environment variable
// that changes it (the README's Configuration lists the same). Pure: the environment is passed in.

/** Timeouts of the client side (node's http server). */
export interface ClientTimeouts {
  /** A client must send its complete request head within this (node `headersTimeout`): 408. */
  headersTimeoutMs: number;
  /** Longest silence inside a request body the gateway is reading (408, connection closed), or of a client leaving its response unread (cut). */
  bodyIdleTimeoutMs: number;
  /** Idle keep-alive connections from clients are closed after this (node `keepAliveTimeout`). */
  keepAliveTimeoutMs: number;
}

/** Timeouts and limits of the upstream side (undici), as createGateway takes them. */
export interface UpstreamLimits {
  connectTimeoutMs: number;
  /** From the last request byte sent to the complete response head: 504 after it. */
  upstreamTimeoutMs: number;
  /** Longest silence inside a response body: the response is cut. */
  upstreamBodyIdleTimeoutMs: number;
  /** Idle keep-alive connections to instances are closed after this, under the 5 s of most servers. */
  upstreamKeepAliveTimeoutMs: number;
  /** Connections per instance. */
  connectionsPerInstance: number;
  /** Requests that may wait for a connection per instance; beyond that, 503 with Retry-After. */
  queuePerInstance: number;
}

/** Every setting, its variable and its default. */
export const SETTINGS: ReadonlyArray<{ key: keyof ClientTimeouts | keyof UpstreamLimits; env: string; kind: 'duration' | 'count'; default: number; meaning: string }> = [
  { key: 'headersTimeoutMs', env: 'DSR_GATEWAY_CLIENT_HEADERS_TIMEOUT', kind: 'duration', default: 10_000, meaning: 'a client must send its request head within this (408)' },
  { key: 'bodyIdleTimeoutMs', env: 'DSR_GATEWAY_CLIENT_BODY_TIMEOUT', kind: 'duration', default: 30_000, meaning: 'longest silence inside a request body (408, connection closed), or of a client not reading its response (cut)' },
  { key: 'keepAliveTimeoutMs', env: 'DSR_GATEWAY_CLIENT_KEEPALIVE_TIMEOUT', kind: 'duration', default: 5_000, meaning: 'idle client keep-alive connections are closed after this' },
  { key: 'connectTimeoutMs', env: 'DSR_GATEWAY_CONNECT_TIMEOUT', kind: 'duration', default: 2_000, meaning: 'TCP connect to an instance (ejected, retried elsewhere)' },
  { key: 'upstreamTimeoutMs', env: 'DSR_GATEWAY_UPSTREAM_HEADERS_TIMEOUT', kind: 'duration', default: 30_000, meaning: 'from the request sent to the response head (504)' },
  { key: 'upstreamBodyIdleTimeoutMs', env: 'DSR_GATEWAY_UPSTREAM_BODY_TIMEOUT', kind: 'duration', default: 30_000, meaning: 'longest silence inside a response body (the response is cut)' },
  { key: 'upstreamKeepAliveTimeoutMs', env: 'DSR_GATEWAY_UPSTREAM_KEEPALIVE_TIMEOUT', kind: 'duration', default: 4_000, meaning: 'idle connections to instances are closed after this' },
  { key: 'connectionsPerInstance', env: 'DSR_GATEWAY_CONNECTIONS', kind: 'count', default: 128, meaning: 'connections per instance' },
  { key: 'queuePerInstance', env: 'DSR_GATEWAY_QUEUE', kind: 'count', default: 256, meaning: 'requests waiting for a connection per instance; beyond, 503 + Retry-After' },
];

/** The defaults of both sides. */
export const DEFAULT_CLIENT_TIMEOUTS: ClientTimeouts = { headersTimeoutMs: 10_000, bodyIdleTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };
export const DEFAULT_UPSTREAM_LIMITS: UpstreamLimits = {
  connectTimeoutMs: 2_000, upstreamTimeoutMs: 30_000, upstreamBodyIdleTimeoutMs: 30_000, upstreamKeepAliveTimeoutMs: 4_000,
  connectionsPerInstance: 128, queuePerInstance: 256,
};

/** A variable that is set but unusable: the message names it and the accepted form. */
export class GatewaySettingError extends Error {
  override readonly name = 'GatewaySettingError';
}

const DURATION = /^([0-9]{1,9})(ms|s|m)?$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Reads the settings from `env`, defaults for the unset ones. Durations: "500ms", "10s", "2m" or
 * plain milliseconds ("1500"); counts: a positive integer. Example: { DSR_GATEWAY_CONNECT_TIMEOUT: '5s' }
 * -> upstream.connectTimeoutMs 5000, everything else default. Throws GatewaySettingError.
 */
export function gatewaySettingsFromEnv(env: Readonly<Record<string, string | undefined>>): { client: ClientTimeouts; upstream: UpstreamLimits } {
  const values = new Map<string, number>();
  for (const s of SETTINGS) {
    const raw = env[s.env]?.trim();
    if (raw === undefined || raw === '') continue;
    const m = DURATION.exec(raw);
    const n = m ? Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1) : NaN;
    if (!m || n <= 0 || (s.kind === 'count' && m[2] !== undefined)) {
      throw new GatewaySettingError(`${s.env}=${JSON.stringify(raw)} is not ${s.kind === 'count' ? 'a positive integer (e.g. 64)' : 'a positive duration (e.g. 500ms, 10s, 2m)'}; fix or unset it`);
    }
    values.set(s.key, n);
  }
  const pick = <T extends object>(defaults: T): T => {
    const out = { ...defaults } as Record<string, number>;
    for (const key of Object.keys(out)) out[key] = values.get(key) ?? out[key]!;
    return out as T;
  };
  return { client: pick(DEFAULT_CLIENT_TIMEOUTS), upstream: pick(DEFAULT_UPSTREAM_LIMITS) };
}
