// One service's page, /dashboard/services/<name>: status and applied revision, the charts of
// canary against stable, the instance table, the history of rollouts (from the service's events,
// history.js) and its recent events. Live: the event stream filtered to the service re-fetches the
// status and the series on each event; without the stream it polls every POLL_MS.
import { ChartPanel } from './charts.js';
import { age, clock, duration, el, getJson, percent, severity, short } from './dom.js';
import { rolloutHistory } from './history.js';

const POLL_MS = 5000;
const SERIES_MS = 5000;
const EVENTS = 300;
const SHOWN_EVENTS = 50;

const name = decodeURIComponent(location.pathname.replace(/^\/dashboard\/services\//, '').replace(/\/$/, ''));
const $ = (id) => document.getElementById(id);
const state = { status: null, events: new Map(), lastId: 0, error: null };
const charts = new ChartPanel(name);

async function loadStatus() {
  try {
    state.status = await getJson(`/api/services/${encodeURIComponent(name)}`);
    state.error = null;
    $('updated').textContent = `updated ${clock(Date.now())}`;
  } catch (error) {
    state.error = error.message.startsWith('404') ? `DSR knows no service named ${name}.` : `Cannot reach DSR's API (${error.message}); retrying.`;
  }
  render();
}

async function loadEvents() {
  const body = await getJson(`/events?${new URLSearchParams({ service: name, limit: String(EVENTS) })}`);
  for (const e of body.events ?? []) addEvent(e);
  renderEvents();
}

function addEvent(e) {
  if (!e || state.events.has(e.id)) return false;
  state.events.set(e.id, e);
  state.lastId = Math.max(state.lastId, e.id);
  if (state.events.size > EVENTS) state.events.delete(Math.min(...state.events.keys()));
  return true;
}

function render() {
  $('banners').replaceChildren(...(state.error ? [el('div', { class: 'banner banner-error', role: 'alert', text: state.error })] : []));
  const s = state.status;
  if (!s) return;
  const r = s.rollout;
  const facts = [
    ['phase', `${s.phase} — ${s.message}`],
    ['revision applied', `${short(s.appliedRevision)}${s.synced ? ' (in sync)' : ` (latest ${short(s.revision)})`}`],
    ['versions', s.versions.map((v) => `${v.name} ${v.weight}% (${v.ready}/${v.replicas} ready)`).join(', ') || '–'],
    ['manifest', s.source ? `${s.source.file}:${s.source.line}` : '–'],
  ];
  if (r) {
    facts.push(['rollout', `${r.phase}: ${r.stable ?? '–'} → ${r.canary}, step ${r.step} of ${r.steps}, canary ${r.weight}%`]);
    if (r.lastVerdict) facts.push(['last analysis', `${r.lastVerdict.result} · ${r.lastVerdict.requests} requests · error rate ${percent(r.lastVerdict.errorRate)} · p99 ${r.lastVerdict.latencyP99Ms === null ? '–' : `${Math.round(r.lastVerdict.latencyP99Ms)} ms`}`]);
    if (r.abortReason) facts.push(['aborted', r.abortReason]);
  }
  $('facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { 'data-fact': k, text: v })]));
  $('instances').replaceChildren(instancesTable(s));
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
      el('td', { text: age(i.createdAt) }),
      el('td', { class: 'last-error', text: i.lastError ?? '' }),
    ]))),
  ]);
}

function renderEvents() {
  const events = [...state.events.values()].sort((a, b) => a.id - b.id);
  const rows = rolloutHistory(events);
  $('history').replaceChildren(rows.length === 0 ? el('p', { class: 'muted', text: `no rollout in the last ${EVENTS} events` }) : el('table', { class: 'history' }, [
    el('thead', {}, [el('tr', {}, ['started', 'canary', 'from', 'steps', 'verdicts', 'result', 'duration'].map((h) => el('th', { text: h })))]),
    el('tbody', {}, rows.map((h) => el('tr', { dataset: { result: h.result } }, [
      el('td', { text: clock(h.started) }),
      el('td', { class: 'mono', text: h.canary }),
      el('td', { class: 'mono', text: h.stable ?? '–' }),
      el('td', { text: h.weights.map((w) => `${w}%`).join(' → ') || '–' }),
      el('td', { text: `${h.verdicts.pass} pass, ${h.verdicts.fail} fail, ${h.verdicts.inconclusive} inconclusive` }),
      el('td', { class: `result-${h.result.replace(' ', '-')}`, text: h.reason ? `${h.result}: ${h.reason}` : h.result }),
      el('td', { text: h.durationMs === null ? '–' : duration(h.durationMs) + (h.ended ? '' : ' so far') }),
    ]))),
  ]));
  const shown = events.slice(-SHOWN_EVENTS).reverse();
  $('events').replaceChildren(...(shown.length ? shown.map((e) => el('li', { class: `event ${severity(e.kind)}`, dataset: { id: String(e.id), kind: e.kind }, value: String(e.id) }, [
    el('time', { datetime: e.time, title: e.time, text: clock(e.time) }),
    el('div', { class: 'event-head' }, [el('span', { class: 'kind mono', text: e.kind }), el('span', { class: 'event-service', text: e.version ?? '' })]),
    el('span', { class: 'event-message', text: e.message }),
  ])) : [el('li', { class: 'muted empty', text: 'no events yet' })]));
}

function setBadge(kind) {
  $('stream').className = `badge badge-${kind}`;
  $('stream').textContent = kind === 'live' ? 'live' : kind === 'connecting' ? 'connecting…' : 'disconnected';
}

let poll = null;
function connect() {
  const stream = new EventSource(`/events/stream?${new URLSearchParams({ service: name })}`);
  stream.onopen = () => {
    setBadge('live');
    clearInterval(poll);
    poll = null;
  };
  stream.onmessage = (message) => {
    let e;
    try {
      e = JSON.parse(message.data);
    } catch {
      return;
    }
    if (addEvent(e)) renderEvents();
    loadStatus();
    if (/^(rollout|analysis)\./.test(e.kind)) charts.refresh(state.status);
  };
  stream.onerror = () => {
    setBadge('disconnected');
    poll ??= setInterval(() => {
      loadStatus();
      loadEvents().catch(() => undefined);
    }, POLL_MS);
    if (stream.readyState === EventSource.CLOSED) {
      stream.close();
      setTimeout(connect, POLL_MS);
    }
  };
}

function start() {
  document.title = `${name} · DSR`;
  $('name').textContent = name;
  $('charts').append(charts.node);
  setBadge('connecting');
  loadStatus().then(() => charts.refresh(state.status));
  loadEvents().catch(() => undefined).finally(connect);
  setInterval(() => document.hidden || charts.refresh(state.status), SERIES_MS);
}

start();
