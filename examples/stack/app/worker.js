// The stack's worker (no port): takes jobs from the store's queue through DSR's gateway
// ($DSR_GATEWAY_URL/store/...), writes each result back to the store and logs it. After every
// poll that reached the store it touches /state/heartbeat; DSR's exec check (health.js) calls the
// worker healthy while that file is fresh, so a worker that cannot reach the store is replaced.
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

const version = process.env.VERSION ?? 'dev';
const gateway = process.env.DSR_GATEWAY_URL;
const token = process.env.STORE_TOKEN ?? '';
const everyMs = Number(process.env.POLL_MS ?? 1000);
if (!gateway) {
  console.error('worker: DSR_GATEWAY_URL is not set; run it under DSR, which gives it to every instance.');
  process.exit(1);
}
if (!token) {
  console.error('worker: STORE_TOKEN is not set: create the DSR secret file <data>/secrets/store.env (the store refuses callers without it).');
  process.exit(1);
}

async function store(method, path, body) {
  const res = await fetch(`${gateway}/store${path}`, {
    method, body, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`store answered ${res.status} to ${method} ${path}`);
  return res.json();
}

/** Takes and processes jobs until the queue is empty; throws when the store cannot be reached. */
async function drain() {
  for (;;) {
    const { item } = await store('POST', '/queue/jobs/take');
    if (item === null) return;
    const job = JSON.parse(item);
    const result = { result: job.text.toUpperCase(), worker: `${version}@${hostname()}` };
    await store('PUT', `/kv/job:${encodeURIComponent(job.id)}`, JSON.stringify(result));
    console.log(`worker ${version}: job ${job.id} done`);
  }
}

let stopping = false;
async function loop() {
  while (!stopping) {
    try {
      await drain();
      writeFileSync('/state/heartbeat', String(Date.now()));
    } catch (e) {
      console.error(`worker ${version}: ${e.message} (retrying)`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  process.exit(0);
}
console.log(`worker ${version} polling ${gateway}/store every ${everyMs} ms`);
loop();
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (stopping = true));
