// The DSR dashboard's script: plain browser JavaScript, no build step, no dependencies.
//
// Data flow: the page shows GET /api/services and the recent GET /events. New events arrive on
// the Server-Sent Events stream /events/stream; each one re-fetches /api/services (at most every
// MIN_REFRESH_MS). While the stream is down (or absent) the page polls /events?since=<last id>
// and /api/services every POLL_MS instead, so it keeps working, only with a "disconnected" badge.
// Events are kept by id, so the overlap of a poll and a reconnected stream shows nothing twice.
//
// Security: server data is only ever written with textContent / attributes, never as HTML, and
// the page runs under Content-Security-Policy: default-src 'self' (no inline script or style).
//
// Charts (charts.js): each service card holds a ChartPanel that survives re-renders (its node is
// moved into the new card). It re-fetches the service's series every SERIES_MS, and at once when
// a rollout or analysis event of that service arrives.
import { ChartPanel } from './charts.js';
import { age, clock, el, getJson, percent, severity, short } from './dom.js';

const MIN_REFRESH_MS = 2000;
const POLL_MS = 2000;
const RECONNECT_MS = 5000;
const SAFETY_REFRESH_MS = 15000;
const MAX_EVENTS = 500;
const SHOWN_EVENTS = 150;
const TOKEN_KEY = 'dsr.token';
const ACTIONS = { promote: 'Promote', abort: 'Abort', retry: 'Retry' };
const SERIES_MS = 5000;

const state = {
  /** The last GET /api/services answer, or null before the first. */
  snapshot: null,
  /** Events by id. */
  events: new Map(),
  lastEventId: 0,
  /** Whether the newest events were loaded once (until then `since` would start at the oldest). */
  eventsLoaded: false,
  streamConnected: false,
  /** A problem reaching the API, shown as a banner until the next successful fetch. */
  apiError: null,
  /** Per service: the outcome of the last button press, { ok, text }. */
  actionResults: new Map(),
  /** Per service: an action request in flight. */
  busy: new Set(),
  /** Per service: its charts. */
  charts: new Map(),
};

const $ = (id) => document.getElementById(id);

function formatManifestError(e) {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return e.path ? `${where} ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}

// ---------------------------------------------------------------------------------------------
// The token: kept in sessionStorage (gone with the tab), sent as a Bearer header.

function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return $('token').value;
  }
}

function writeToken(value) {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the input itself still holds the token for this page.
  }
}

function setupToken() {
  const input = $('token');
  input.value = readToken();
  input.addEventListener('input', () => writeToken(input.value.trim()));
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    writeToken(input.value.trim());
    input.blur();
  });
  $('token-clear').addEventListener('click', () => {
    input.value = '';
    writeToken('');
  });
}

/** Says where the token is (e.g. "see /srv/dsr/data/token on the host"); the page never sees the token itself. */
function showTokenHint(actions) {
  const hint = !actions ? '' : actions.enabled ? (actions.token ? `token: ${actions.token}` : '') : 'actions are disabled on this DSR';
  $('token-hint').textContent = hint;
  $('token').title = hint;
}

// ---------------------------------------------------------------------------------------------
// Fetching.

let refreshTimer = null;
let refreshing = false;
let refreshAgain = false;
let lastRefreshStart = 0;

/** Re-fetches /api/services soon: at once if the last fetch is MIN_REFRESH_MS old, else then. */
function requestRefresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  if (refreshTimer) return;
  refreshTimer = setTimeout(runRefresh, Math.max(0, lastRefreshStart + MIN_REFRESH_MS - Date.now()));
}

async function runRefresh() {
  refreshTimer = null;
  refreshing = true;
  lastRefreshStart = Date.now();
  try {
    state.snapshot = await getJson('/api/services');
    state.apiError = null;
    showTokenHint(state.snapshot.actions);
    $('updated').textContent = `updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
  } catch (error) {
    state.apiError = `Cannot reach DSR's API (${error.message}); retrying.`;
    startPolling();
  } finally {
    refreshing = false;
    render();
    if (refreshAgain) {
      refreshAgain = false;
      requestRefresh();
    }
  }
}

/** Adds events (any order, duplicates ignored); returns how many were new. */
function addEvents(list) {
  let added = 0;
  for (const e of list) {
    if (!e || !Number.isSafeInteger(e.id) || state.events.has(e.id)) continue;
    state.events.set(e.id, e);
    if (e.id > state.lastEventId) state.lastEventId = e.id;
    added++;
  }
  if (state.events.size > MAX_EVENTS) {
    const ids = [...state.events.keys()].sort((a, b) => a - b);
    for (const id of ids.slice(0, state.events.size - MAX_EVENTS)) state.events.delete(id);
  }
  return added;
}

/** The newest events, for the whole log or one service. */
async function loadRecentEvents(service) {
  const query = new URLSearchParams({ limit: '100' });
  if (service) query.set('service', service);
  const body = await getJson(`/events?${query}`);
  addEvents(body.events ?? []);
  if (!service) {
    if (Number.isSafeInteger(body.lastId) && body.lastId > state.lastEventId) state.lastEventId = body.lastId;
    state.eventsLoaded = true;
  }
  renderEvents();
}

/** Fetches every event after the last one seen (gap filling and the fallback poll). */
async function catchUp() {
  if (!state.eventsLoaded) {
    await loadRecentEvents('');
    return;
  }
  for (let page = 0; page < 10; page++) {
    const body = await getJson(`/events?since=${state.lastEventId}&limit=200`);
    const list = body.events ?? [];
    if (addEvents(list) > 0) {
      renderEvents();
      requestRefresh();
    }
    if (list.length < 200) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Live updates: the event stream, with polling while it is down.

let pollTimer = null;
let stream = null;

function startPolling() {
  if (pollTimer) return;
  pollTimer = setInterval(() => {
    catchUp().catch(() => undefined);
    requestRefresh();
  }, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

function setStreamBadge(kind) {
  const badge = $('stream');
  badge.className = `badge badge-${kind}`;
  badge.textContent = kind === 'live' ? 'live' : kind === 'connecting' ? 'connecting…' : 'disconnected';
  badge.title = kind === 'disconnected'
    ? `the event stream /events/stream is down; polling every ${POLL_MS / 1000} s`
    : 'live updates from /events/stream';
}

function connectStream() {
  if (typeof EventSource === 'undefined') {
    setStreamBadge('disconnected');
    startPolling();
    return;
  }
  stream = new EventSource('/events/stream');
  stream.onopen = () => {
    state.streamConnected = true;
    setStreamBadge('live');
    stopPolling();
    // Whatever happened while we were away (the stream sends only what comes after it opened).
    catchUp().catch(() => undefined);
    requestRefresh();
  };
  stream.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (addEvents([event]) > 0) renderEvents();
    requestRefresh();
    if (event.service && /^(rollout|analysis)\./.test(event.kind)) refreshCharts(event.service);
  };
  stream.onerror = () => {
    state.streamConnected = false;
    setStreamBadge('disconnected');
    startPolling();
    // CONNECTING: the browser retries by itself (sending Last-Event-ID). CLOSED (an HTTP error,
    // e.g. a DSR without the stream): it never will, so try again later ourselves.
    if (stream.readyState === EventSource.CLOSED) {
      stream.close();
      setTimeout(connectStream, RECONNECT_MS);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Actions.

async function runAction(service, action) {
  if (state.busy.has(service)) return;
  const token = readToken() || $('token').value.trim();
  state.busy.add(service);
  state.actionResults.set(service, { ok: true, text: `${action}: sending…` });
  renderServices();
  try {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(`/api/services/${encodeURIComponent(service)}/${action}`, { method: 'POST', headers });
    const body = await res.json().catch(() => null);
    if (res.ok) {
      state.actionResults.set(service, { ok: true, text: `${action} accepted` });
      // The answer is the service's new status: show it at once.
      if (body && state.snapshot) state.snapshot.services = state.snapshot.services.map((s) => (s.name === body.name ? body : s));
      requestRefresh();
    } else {
      const reason = body && body.error ? body.error : res.statusText;
      state.actionResults.set(service, { ok: false, text: `${action} refused (${res.status}): ${reason}` });
      if ((res.status === 401 || res.status === 403) && !token) $('token').focus();
    }
  } catch (error) {
    state.actionResults.set(service, { ok: false, text: `${action} failed: ${error.message}` });
  } finally {
    state.busy.delete(service);
    render();
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering.

function render() {
  renderHeader();
  renderBanners();
  renderServices();
  renderFilter();
}

function renderHeader() {
  const rev = state.snapshot?.revision;
  $('revision').textContent = `revision ${short(rev)}`;
  $('revision').title = rev ? `manifest revision ${rev}` : 'no manifest revision loaded yet';
}

function renderBanners() {
  const banners = [];
  if (state.apiError) banners.push(el('div', { class: 'banner banner-error', role: 'alert', 'data-banner': 'api', text: state.apiError }));
  const docker = state.snapshot?.docker;
  if (docker && !docker.available) {
    banners.push(el('div', { class: 'banner banner-error', role: 'alert', 'data-banner': 'docker' }, [
      el('strong', { text: 'Docker unavailable' }),
      el('span', { text: ` since ${clock(docker.since)}: ${docker.error ?? 'no answer from the engine'}. Containers already running keep serving; DSR reconnects by itself.` }),
    ]));
  }
  const errors = state.snapshot?.errors ?? [];
  if (errors.length > 0) {
    banners.push(el('div', { class: 'banner banner-warn', role: 'alert', 'data-banner': 'manifests' }, [
      el('strong', { text: `${errors.length} manifest error${errors.length === 1 ? '' : 's'} at revision ${short(state.snapshot.revision)}` }),
      el('span', { text: ' — invalid files change nothing that runs; fix and commit (dsr validate shows the same list).' }),
      el('ul', {}, errors.map((e) => el('li', { class: 'mono', text: formatManifestError(e) }))),
    ]));
  }
  $('banners').replaceChildren(...banners);
}

function renderServices() {
  const services = state.snapshot?.services ?? [];
  $('no-services').hidden = !state.snapshot || services.length > 0;
  $('services').replaceChildren(...services.map(serviceCard));
  for (const s of services) {
    let panel = state.charts.get(s.name);
    if (!panel) {
      panel = new ChartPanel(s.name);
      state.charts.set(s.name, panel);
      panel.refresh(s);
    }
    document.querySelector(`article.service[data-service="${CSS.escape(s.name)}"] .charts-slot`)?.append(panel.node);
  }
  for (const name of state.charts.keys()) if (!services.some((s) => s.name === name)) state.charts.delete(name);
}

/** Redraws the charts of one service (or of all) from a fresh series. */
function refreshCharts(name) {
  const services = state.snapshot?.services ?? [];
  for (const [service, panel] of state.charts) {
    if (name === undefined || name === service) panel.refresh(services.find((s) => s.name === service)).catch(() => undefined);
  }
}

function serviceCard(s) {
  return el('article', { class: `service phase-${s.phase}`, dataset: { service: s.name } }, [
    el('header', { class: 'service-head' }, [
      el('h3', {}, [el('a', { href: `/dashboard/services/${encodeURIComponent(s.name)}`, title: `history, instances and events of ${s.name}`, text: s.name })]),
      el('span', { class: `phase phase-${s.phase}`, 'data-role': 'phase', text: s.phase }),
      el('span', { class: `sync ${s.synced ? 'sync-yes' : 'sync-no'}`, text: s.synced ? 'in sync' : 'out of sync', title: `applied ${s.appliedRevision ?? 'nothing yet'}, latest ${s.revision ?? '–'}` }),
      s.source ? el('span', { class: 'source mono', text: `${s.source.file}:${s.source.line}` }) : null,
    ]),
    el('p', { class: 'message', 'data-role': 'message', text: s.message }),
    weightBar(s),
    versionsTable(s),
    s.rollout ? rolloutBlock(s.rollout, s.message) : null,
    s.errors.length > 0 ? el('ul', { class: 'service-errors' }, s.errors.map((e) => el('li', { class: 'mono', text: formatManifestError(e) }))) : null,
    s.backoff ? el('p', { class: 'backoff', text: `retrying: ${s.backoff}` }) : null,
    instancesTable(s),
    actions(s),
    el('div', { class: 'charts-slot' }),
  ]);
}

function weightBar(s) {
  const parts = s.versions.filter((v) => v.weight > 0);
  const bar = el('div', { class: 'weights', 'data-role': 'weights', role: 'img', 'aria-label': s.versions.map((v) => `${v.name} ${v.weight}%`).join(', ') || 'no versions' });
  s.versions.forEach((v, i) => {
    if (v.weight <= 0) return;
    const canary = s.rollout && v.name === s.rollout.canary;
    const seg = el('div', { class: `segment segment-${i % 4}${canary ? ' segment-canary' : ''}`, title: `${v.name} (${v.image}): ${v.weight}%`, text: `${v.name} ${v.weight}%` });
    // CSSOM writes are allowed under style-src 'self' (only inline style attributes are not).
    seg.style.width = `${v.weight}%`;
    bar.append(seg);
  });
  if (parts.length === 0) bar.append(el('div', { class: 'segment segment-none', text: 'no traffic' }));
  return bar;
}

function versionsTable(s) {
  return el('table', { class: 'versions' }, [
    el('thead', {}, [el('tr', {}, ['version', 'image', 'weight', 'ready'].map((h) => el('th', { text: h })))]),
    el('tbody', {}, s.versions.map((v) => el('tr', { dataset: { version: v.name } }, [
      el('td', { class: 'mono', text: v.name + (s.stable === v.name ? ' (stable)' : s.rollout?.canary === v.name ? ' (canary)' : '') }),
      el('td', { class: 'mono', text: v.image }),
      el('td', { text: `${v.weight}%` }),
      el('td', { class: v.ready < v.replicas ? 'short' : '', text: `${v.ready}/${v.replicas}` }),
    ]))),
  ]);
}

function rolloutBlock(r, message) {
  const v = r.lastVerdict;
  return el('div', { class: `rollout rollout-${r.phase}`, 'data-role': 'rollout' }, [
    el('div', { class: 'rollout-line' }, [
      el('strong', { text: `Rollout ${r.stable ?? '–'} → ${r.canary}` }),
      el('span', { class: 'rollout-phase', text: r.phase }),
      el('span', { 'data-role': 'step', text: `step ${r.step} of ${r.steps}` }),
      el('span', { text: `canary weight ${r.weight}%` }),
      el('span', { class: 'muted', dataset: { since: r.startedAt, prefix: 'started ', suffix: ' ago' }, text: `started ${age(r.startedAt)} ago` }),
    ]),
    el('progress', { max: String(Math.max(1, r.steps)), value: String(Math.min(r.step, r.steps)) }),
    r.summary && r.summary !== message ? el('p', { class: 'rollout-summary', text: r.summary }) : null,
    v
      ? el('p', { class: `verdict verdict-${v.result}`, 'data-role': 'verdict' }, [
        el('strong', { text: `last analysis: ${v.result}` }),
        el('span', { text: ` · ${v.requests} requests · error rate ${percent(v.errorRate)} · p99 ${v.latencyP99Ms === null ? '–' : `${Math.round(v.latencyP99Ms)} ms`} · failures ${r.failures}${v.result === 'pass' ? '' : ` · ${v.reason}`}` }),
      ])
      : el('p', { class: 'verdict muted', text: `no analysis yet · failures ${r.failures}` }),
    r.abortReason ? el('p', { class: 'abort-reason', 'data-role': 'abort-reason', text: `aborted: ${r.abortReason}` }) : null,
  ]);
}

function instancesTable(s) {
  if (s.instances.length === 0) return el('p', { class: 'muted', text: 'no instances' });
  return el('table', { class: 'instances' }, [
    el('thead', {}, [el('tr', {}, ['instance', 'version', 'state', 'health', 'address', 'age', 'last error'].map((h) => el('th', { text: h })))]),
    el('tbody', {}, s.instances.map((i) => el('tr', { dataset: { instance: i.name } }, [
      el('td', { class: 'mono', text: i.name + (i.current ? '' : ' (outdated)') }),
      el('td', { class: 'mono', text: i.version }),
      el('td', { text: i.state }),
      el('td', {}, [el('span', { class: `health health-${i.health}`, text: i.health })]),
      el('td', { class: 'mono', text: i.address ?? '–' }),
      el('td', { class: 'age', dataset: { since: i.createdAt }, text: age(i.createdAt) }),
      el('td', { class: 'last-error', text: i.lastError ?? '' }),
    ]))),
  ]);
}

function actions(s) {
  const r = s.rollout;
  const inFlight = r !== null && r.phase !== 'Aborted' && r.phase !== 'Completed';
  const busy = state.busy.has(s.name);
  const available = { promote: inFlight, abort: inFlight, retry: r?.phase === 'Aborted' };
  const buttons = Object.entries(ACTIONS)
    .filter(([action]) => action !== 'retry' || available.retry)
    .map(([action, label]) => el('button', {
      type: 'button',
      class: `action action-${action}`,
      'data-action': action,
      disabled: busy || !available[action],
      title: available[action] ? `${label} the rollout of ${s.name} (needs the token)` : 'no rollout in progress',
      text: label,
      onclick: () => runAction(s.name, action),
    }));
  const result = state.actionResults.get(s.name);
  return el('div', { class: 'actions' }, [
    ...buttons,
    result ? el('span', { class: `action-result ${result.ok ? 'ok' : 'error'}`, role: result.ok ? 'status' : 'alert', 'data-role': 'action-result', text: result.text }) : null,
  ]);
}

function renderFilter() {
  const select = $('event-filter');
  const names = new Set((state.snapshot?.services ?? []).map((s) => s.name));
  for (const e of state.events.values()) if (e.service) names.add(e.service);
  const have = new Set([...select.options].map((o) => o.value));
  for (const name of [...names].sort()) {
    if (!have.has(name)) select.append(el('option', { value: name, text: name }));
  }
}

function renderEvents() {
  const filter = $('event-filter').value;
  const shown = [...state.events.values()]
    .filter((e) => !filter || e.service === filter)
    .sort((a, b) => b.id - a.id)
    .slice(0, SHOWN_EVENTS);
  const items = shown.map((e) => el('li', { class: `event ${severity(e.kind)}`, dataset: { id: String(e.id), kind: e.kind, service: e.service ?? '' }, value: String(e.id) }, [
    el('time', { datetime: e.time, title: `${e.time}${e.revision ? ` · revision ${e.revision}` : ''}`, text: clock(e.time) }),
    el('div', { class: 'event-head' }, [
      el('span', { class: 'kind mono', text: e.kind }),
      el('span', { class: 'event-service', text: e.service ? `${e.service}${e.version ? `/${e.version}` : ''}` : '–' }),
    ]),
    el('span', { class: 'event-message', text: e.message }),
  ]));
  if (items.length === 0) items.push(el('li', { class: 'muted empty', text: filter ? `no events for ${filter} yet` : 'no events yet' }));
  $('events').replaceChildren(...items);
  renderFilter();
}

function tickAges() {
  const now = Date.now();
  for (const node of document.querySelectorAll('[data-since]')) {
    node.textContent = `${node.dataset.prefix ?? ''}${age(node.dataset.since, now)}${node.dataset.suffix ?? ''}`;
  }
}

// ---------------------------------------------------------------------------------------------

function start() {
  setupToken();
  setStreamBadge('connecting');
  $('event-filter').addEventListener('change', () => {
    renderEvents();
    const service = $('event-filter').value;
    if (service) loadRecentEvents(service).catch(() => undefined);
  });
  // Until the stream opens, poll: the page works the same against a DSR without /events/stream.
  startPolling();
  requestRefresh();
  loadRecentEvents('').catch(() => undefined).finally(connectStream);
  setInterval(tickAges, 1000);
  setInterval(requestRefresh, SAFETY_REFRESH_MS);
  // A hidden tab needs no redraws; it catches up when shown again.
  setInterval(() => document.hidden || refreshCharts(), SERIES_MS);
  document.addEventListener('visibilitychange', () => document.hidden || refreshCharts());
}

start();
