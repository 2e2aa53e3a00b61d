// The stack's store: a tiny key-value store and job queue that keeps every change in an
// append-only log under /data (a DSR named volume, so the data outlives every container).
//   GET  /health              {"status":"healthy"} (DSR checks the store by TCP; this is for people)
//   GET  /version             {"version":"v1"}
//   GET  /kv/<key>            {"key","value"} or 404
//   PUT  /kv/<key>            body = the value (text)
//   POST /queue/<name>        body = an item, appended to the queue
//   POST /queue/<name>/take   the oldest item, removed ({"item": null} when empty)
// Every route but /health and /version needs `Authorization: Bearer $STORE_TOKEN`; the token comes
// from the DSR secret `store` (<data>/secrets/store.env), never from the manifest.
// One writer only: the manifest's Recreate strategy stops the old version before the new starts.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const version = process.env.VERSION ?? 'dev';
const port = Number(process.env.PORT ?? 7000);
const dir = process.env.STORE_DIR ?? '/data';
const token = process.env.STORE_TOKEN ?? '';
// DSR holds a service whose secret file is missing, so this only happens outside DSR: refuse to run
// open to every caller.
if (!token) {
  console.error('store: STORE_TOKEN is not set. Create the DSR secret file <data>/secrets/store.env with a line STORE_TOKEN=<random>.');
  process.exit(1);
}
const log = join(dir, 'store.log');
const kv = new Map();
const queues = new Map();

/** Applies one logged operation to the in-memory state; replaying the log rebuilds it. */
function apply(op) {
  if (op.op === 'set') kv.set(op.key, op.value);
  if (op.op === 'push') queues.set(op.queue, [...(queues.get(op.queue) ?? []), op.item]);
  if (op.op === 'take') queues.set(op.queue, (queues.get(op.queue) ?? []).slice(1));
}
/** Writes the operation to the log first (synchronously), then applies it: an answered write is on disk. */
function record(op) {
  appendFileSync(log, JSON.stringify(op) + '\n');
  apply(op);
}

mkdirSync(dir, { recursive: true });
let replayed = 0;
try {
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (!line) continue;
    apply(JSON.parse(line));
    replayed++;
  }
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
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

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/health') return send(res, 200, { status: 'healthy' });
  if (path === '/version') return send(res, 200, { version });
  if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'missing or wrong token (Authorization: Bearer $STORE_TOKEN)' });
  const [, kind, name, action] = path.split('/').map(decodeURIComponent);
  if (kind === 'kv' && name && req.method === 'GET') {
    return kv.has(name) ? send(res, 200, { key: name, value: kv.get(name), version }) : send(res, 404, { error: `no key ${name}` });
  }
  if (kind === 'kv' && name && req.method === 'PUT') {
    record({ op: 'set', key: name, value: await bodyOf(req) });
    return send(res, 200, { key: name, version });
  }
  if (kind === 'queue' && name && req.method === 'POST' && action === undefined) {
    record({ op: 'push', queue: name, item: await bodyOf(req) });
    return send(res, 200, { queue: name, length: queues.get(name).length });
  }
  if (kind === 'queue' && name && req.method === 'POST' && action === 'take') {
    const item = queues.get(name)?.[0] ?? null;
    if (item !== null) record({ op: 'take', queue: name });
    return send(res, 200, { item });
  }
  return send(res, 404, { error: `no route for ${req.method} ${path}` });
});

server.listen(port, () => console.log(`store ${version} listening on ${port}; ${replayed} logged operations replayed from ${log}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
