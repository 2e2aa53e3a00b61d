// The stack's HTTP service: notes and jobs, kept in the store, which it calls through DSR's
// gateway ($DSR_GATEWAY_URL/store/...), so the call follows the store's routing like any other.
//   GET  /health           {"status":"healthy"}
//   GET  /version          {"version":"v1"}
//   PUT  /notes/<key>      body = text; saved in the store
//   GET  /notes/<key>      {"key","value","api","store"}: which api and store versions answered
//   POST /jobs             body = text; queued for the worker; answers {"id"}
//   GET  /jobs/<id>        the worker's result, or 404 {"pending": true} while it has none
// STORE_TOKEN comes from the DSR secret `store`, shared with the store and the worker.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const version = process.env.VERSION ?? 'dev';
const port = Number(process.env.PORT ?? 8080);
const gateway = process.env.DSR_GATEWAY_URL;
const token = process.env.STORE_TOKEN ?? '';
if (!gateway) {
  console.error('api: DSR_GATEWAY_URL is not set; run it under DSR, which gives it to every instance.');
  process.exit(1);
}
if (!token) {
  console.error('api: STORE_TOKEN is not set: create the DSR secret file <data>/secrets/store.env (the store refuses callers without it).');
  process.exit(1);
}

/** One call to the store through the gateway: its status and JSON body. */
async function store(method, path, body) {
  const res = await fetch(`${gateway}/store${path}`, {
    method, body, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
async function bodyOf(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(req, res) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/health') return send(res, 200, { status: 'healthy' });
  if (path === '/version') return send(res, 200, { version });
  const [, kind, id] = path.split('/').map(decodeURIComponent);
  if (kind === 'notes' && id && req.method === 'PUT') {
    const r = await store('PUT', `/kv/note:${encodeURIComponent(id)}`, await bodyOf(req));
    return send(res, r.status, { key: id, api: version, store: r.body.version ?? null });
  }
  if (kind === 'notes' && id && req.method === 'GET') {
    const r = await store('GET', `/kv/note:${encodeURIComponent(id)}`);
    return r.status === 200
      ? send(res, 200, { key: id, value: r.body.value, api: version, store: r.body.version })
      : send(res, r.status, { error: r.body.error ?? `store answered ${r.status}`, api: version });
  }
  if (kind === 'jobs' && !id && req.method === 'POST') {
    const job = { id: randomUUID(), text: await bodyOf(req) };
    const r = await store('POST', '/queue/jobs', JSON.stringify(job));
    return send(res, r.status, r.status === 200 ? { id: job.id, api: version } : { error: r.body.error, api: version });
  }
  if (kind === 'jobs' && id && req.method === 'GET') {
    const r = await store('GET', `/kv/job:${encodeURIComponent(id)}`);
    if (r.status === 404) return send(res, 404, { id, pending: true, api: version });
    return r.status === 200 ? send(res, 200, { id, ...JSON.parse(r.body.value), api: version }) : send(res, r.status, { error: r.body.error, api: version });
  }
  return send(res, 404, { error: `no route for ${req.method} ${path}` });
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => send(res, 502, { error: `store unreachable through the gateway: ${e.message}`, api: version }));
});
server.listen(port, () => console.log(`api ${version} listening on ${port}; store at ${gateway}/store`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
