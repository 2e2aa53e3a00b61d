// DOM and formatting helpers shared by the dashboard's pages. Every piece of server data goes
// through textContent or attributes, never markup.

/** Creates an element; `props.text` becomes textContent, `props.class` the class list. */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** A short age: 42s, 3m 10s, 2h 5m, 4d 1h. */
export function age(iso, now = Date.now()) {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return '–';
  return duration(now - t);
}

/** A short duration: 42s, 3m 10s, 2h 5m, 4d 1h. */
export function duration(ms) {
  let s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  s %= 60;
  if (m < 60) return `${m}m ${s}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** The local time of day of an ISO time or epoch milliseconds, 24-hour. */
export function clock(time) {
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? String(time) : d.toLocaleTimeString([], { hour12: false });
}

export const short = (rev) => (typeof rev === 'string' ? rev.slice(0, 12) : '–');
export const percent = (x) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
export const millis = (x) => (x === null || x === undefined ? '–' : `${Math.round(x)} ms`);

/** GETs JSON from the API; throws an Error carrying the server's `error` text or the network's. */
export async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body && body.error ? `${res.status}: ${body.error}` : `HTTP ${res.status} from ${path}`);
  return body;
}

/** A colour class for an event kind: failures red, warnings amber, the rest neutral. */
export function severity(kind) {
  if (/(abort|invalid|unhealthy|fail|error|degraded|unavailable|crash)/.test(kind)) return 'sev-bad';
  if (/(paused|replaced|reverted|cancelled|retried|inconclusive|removed)/.test(kind)) return 'sev-warn';
  if (/(healthy|synced|completed|pass|promoted|created)/.test(kind)) return 'sev-good';
  return 'sev-info';
}
