// The supervisor (`dsr-supervisor`, what `dsr run` starts and PID 1 in DSR's image): owns the
// listening socket, forks the controller and the gateway workers from the code on disk (the same
// bin, told its role by DSR_ROLE), relays their messages, keeps the last route table for workers
// that start later, restarts whoever dies, reloads on SIGHUP or `dsr reload`, and stops all of
// them on SIGTERM/SIGINT. It holds no state of its own worth persisting.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewEvent } from '../events/types.js';
import { VERSION } from '../cli/config.js';
import type { RunOptions } from '../cli/run.js';
import { bindHandle, type ListenHandle } from './listen-handle.js';
import { pidFile, runDir } from './paths.js';
import { isMessage, type ControllerMessage, type ToControllerMessage, type ToWorkerMessage, type WireTable, type WorkerMessage } from './protocol.js';
import { restartDelay } from './restart-delay.js';

const BIN = fileURLToPath(new URL('../../bin/dsr.js', import.meta.url));
/** A reload drains each old worker this long at most. */
const RELOAD_DRAIN_MS = 15_000;
/** A stop waits this long for every child (under `docker stop -t 30` / compose's stop_grace_period). */
const STOP_WAIT_MS = 25_000;
/** How long a new process may take to be ready (compiling the sources with tsx on a loaded machine is slow). */
const READY_MS = 120_000;

interface Child {
  readonly id: string;
  readonly child: ChildProcess;
  ready: boolean;
  version: string;
  /** Stopped on purpose (reload, stop): its exit is not a crash. */
  retiring: boolean;
  readonly startedAt: number;
  readonly readyP: Promise<boolean>;
  markReady: (ok: boolean) => void;
  readonly exited: Promise<void>;
}

/** Runs DSR's processes until SIGTERM/SIGINT; resolves with the exit code. */
export async function runSupervisor(options: RunOptions): Promise<number> {
  process.title = 'dsr-supervisor';
  const log = (message: string): void => console.log(`${new Date().toISOString()} ${message}`);
  const dataDir = resolve(options.data);
  mkdirSync(runDir(dataDir), { recursive: true });
  const { handle, port } = await bindHandle(options.host, options.port);
  writeFileSync(pidFile(dataDir, 'supervisor'), `${process.pid}\n`);
  log(`dsr ${VERSION} listening on http://${options.host}:${port} (supervisor pid ${process.pid}, ${options.gatewayWorkers} gateway worker(s))`);
  log(`gateway: http://${options.host}:${port}/gateway/<service>/ · API: /api/services · events: /events`);

  let controller: Child | null = null;
  let controllerEverReady = false;
  let controllerFailures = 0;
  const workers = new Map<string, Child>();
  let nextWorker = 1;
  let lastTable: WireTable | null = null;
  /** The internal gateway listener (DSR_GATEWAY_URL), bound when the controller first asks. */
  let internal: { handle: ListenHandle; bind: string; port: number } | null = null;
  const pending: NewEvent[] = [];
  let stopping = false;
  let reloading = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((r) => (finish = r));

  const spawnRole = (role: string, id: string, env: Record<string, string>): Child => {
    const child = fork(BIN, [], {
      env: { ...process.env, ...env, DSR_ROLE: role, DSR_RUN_OPTIONS: JSON.stringify({ ...options, port }) },
      // A debugger flag would make every child fight for the same inspector port.
      execArgv: process.execArgv.filter((a) => !a.startsWith('--inspect')),
    });
    let markReady: (ok: boolean) => void = () => undefined;
    const readyP = new Promise<boolean>((r) => (markReady = r));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.on('error', (error) => log(`${id}: ${error.message}`));
    const file = pidFile(dataDir, id);
    if (child.pid) writeFileSync(file, `${child.pid}\n`);
    void exited.then(() => {
      rmSync(file, { force: true });
      markReady(false);
    });
    return { id, child, ready: false, version: '', retiring: false, startedAt: Date.now(), readyP, markReady, exited };
  };
  const sendTo = (c: Child | null, m: ToWorkerMessage | ToControllerMessage, h?: ListenHandle): void => {
    if (c && c.child.connected) c.child.send(m, h as never, {}, () => undefined);
  };
  const toWorkers = (m: ToWorkerMessage): void => {
    for (const w of workers.values()) sendTo(w, m);
  };
  const record = (event: NewEvent): void => {
    if (controller?.ready) sendTo(controller, { type: 'record', event });
    else pending.push(event);
  };
  const workerIds = (): string[] => [...workers.keys()];

  const startController = (): Child => {
    const c = spawnRole('controller', 'controller', {});
    controller = c;
    c.child.on('message', (raw: unknown) => {
      if (!isMessage(raw)) return;
      const m = raw as ControllerMessage;
      if (m.type === 'hello') sendTo(c, { type: 'workers', ids: workerIds() });
      else if (m.type === 'routes') {
        if (lastTable && m.table.generation < lastTable.generation) return;
        lastTable = m.table;
        toWorkers(m);
      } else if (m.type === 'readmit' || m.type === 'flush') toWorkers(m);
      else if (m.type === 'ready') {
        c.ready = true;
        c.version = m.version;
        controllerEverReady = true;
        c.markReady(true);
        for (const event of pending.splice(0)) sendTo(c, { type: 'record', event });
        // A new controller starts with empty traffic windows: the workers send their whole rings.
        toWorkers({ type: 'resync' });
      } else if (m.type === 'reload') void reload('dsr reload');
      else if (m.type === 'internal') void bindInternal(m.bind, m.port).then((port) => sendTo(c, { type: 'internal-bound', id: m.id, port }), (error: Error) => sendTo(c, { type: 'internal-bound', id: m.id, error: error.message }));
    });
    void c.exited.then(() => {
      if (controller === c) controller = null;
      if (c.retiring || stopping) return;
      const code = c.child.exitCode ?? 1;
      if (!controllerEverReady) {
        // It never came up: a configuration error, not a crash to retry for ever.
        log(`the controller exited with ${code} before it was ready; stopping`);
        void stop('controller failed to start', code === 0 ? 1 : code);
        return;
      }
      controllerFailures = Date.now() - c.startedAt > 60_000 ? 1 : controllerFailures + 1;
      const delay = restartDelay(controllerFailures);
      log(`the controller exited unexpectedly (${c.child.signalCode ?? `code ${code}`}); restarting it in ${delay} ms, the gateway keeps routing on its last table`);
      setTimeout(() => {
        if (stopping || controller) return;
        startController();
        record({ kind: 'dsr.controller.restarted', service: null, version: null, revision: null, message: `the controller exited (${c.child.signalCode ?? `code ${code}`}) and was restarted after ${delay} ms; the gateway kept routing`, data: { signal: c.child.signalCode, code: c.child.exitCode, delayMs: delay } });
      }, delay).unref();
    });
    return c;
  };

  const startWorker = (failures = 0): Child => {
    const id = `gateway-${nextWorker++}`;
    const w = spawnRole('gateway', id, { DSR_WORKER_ID: id });
    workers.set(id, w);
    sendTo(controller, { type: 'workers', ids: workerIds() });
    w.child.on('message', (raw: unknown) => {
      if (!isMessage(raw)) return;
      const m = raw as WorkerMessage;
      if (m.type === 'report' || m.type === 'eject') sendTo(controller, m);
      else if (m.type === 'hello') {
        if (lastTable) sendTo(w, { type: 'routes', table: lastTable });
        sendTo(w, { type: 'listen', count: workers.size }, handle);
        if (internal) sendTo(w, { type: 'listen-internal' }, internal.handle);
      } else if (m.type === 'ready') {
        w.ready = true;
        w.version = m.version;
        w.markReady(true);
      }
    });
    void w.exited.then(() => {
      workers.delete(id);
      sendTo(controller, { type: 'workers', ids: workerIds() });
      if (w.retiring || stopping) return;
      const how = w.child.signalCode ?? `code ${w.child.exitCode}`;
      const again = Date.now() - w.startedAt < 10_000 ? failures + 1 : 1;
      const delay = again > 1 ? restartDelay(again - 1) : 0;
      log(`${id} exited unexpectedly (${how}); starting a replacement${delay ? ` in ${delay} ms` : ''}`);
      setTimeout(() => {
        if (stopping) return;
        const next = startWorker(again);
        record({ kind: 'dsr.gateway.replaced', service: null, version: null, revision: null, message: `gateway worker ${id} exited (${how}); ${next.id} replaces it`, data: { worker: id, replacement: next.id, signal: w.child.signalCode, code: w.child.exitCode } });
      }, delay).unref();
    });
    return w;
  };

  // One internal socket for the life of the supervisor: a restarted controller gets the same port.
  const bindInternal = async (bind: string, port: number): Promise<number> => {
    if (internal && internal.bind === bind) return internal.port;
    if (stopping) throw new Error('DSR is shutting down');
    const bound = await bindHandle(bind, port).catch((error: Error) => {
      throw new Error(`${error.message} for the internal gateway; free that port or choose another with DSR_INTERNAL_PORT`, { cause: error });
    });
    // The engine's address changed (rare: a recreated bridge): the old socket goes, workers take the new one.
    internal?.handle.close();
    internal = { handle: bound.handle, bind, port: bound.port };
    for (const w of workers.values()) sendTo(w, { type: 'listen-internal' }, bound.handle);
    log(`internal gateway listener on ${bind}:${bound.port}, served by every gateway worker`);
    return bound.port;
  };

  const stopChild = async (c: Child, how: () => void, waitMs: number): Promise<void> => {
    c.retiring = true;
    how();
    const timer = setTimeout(() => c.child.kill('SIGKILL'), waitMs);
    await c.exited;
    clearTimeout(timer);
  };

  const reload = async (why: string): Promise<void> => {
    if (reloading || stopping) return;
    reloading = true;
    try {
      const before = { controller: controller?.version ?? null, gateway: [...workers.values()].map((w) => w.version) };
      log(`${why}: reloading from the code on disk: the controller, then ${workers.size} gateway worker(s) one at a time`);
      const old = controller;
      if (old) await stopChild(old, () => old.child.kill('SIGTERM'), STOP_WAIT_MS);
      const fresh = startController();
      if (!(await withTimeout(fresh.readyP, READY_MS))) log('reload: the new controller did not become ready; it is restarted like a crashed one');
      for (const w of [...workers.values()]) {
        if (stopping) return;
        const next = startWorker();
        if (!(await withTimeout(next.readyP, READY_MS))) {
          log(`reload: ${next.id} did not become ready; ${w.id} keeps serving`);
          await stopChild(next, () => next.child.kill('SIGKILL'), 5_000);
          continue;
        }
        await stopChild(w, () => sendTo(w, { type: 'drain', timeoutMs: RELOAD_DRAIN_MS }), RELOAD_DRAIN_MS + 5_000);
      }
      const after = { controller: controller?.version ?? null, gateway: [...workers.values()].map((w) => w.version) };
      log(`reloaded: controller ${before.controller} → ${after.controller}, gateway workers [${before.gateway.join(', ')}] → [${after.gateway.join(', ')}]`);
      record({ kind: 'dsr.reloaded', service: null, version: null, revision: null, message: `DSR reloaded (${why}): ${before.controller ?? '?'} → ${after.controller ?? '?'}`, data: { reason: why, from: before, to: after } });
    } finally {
      reloading = false;
    }
  };

  const stop = async (why: string, code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${why}: shutting down; service containers keep running and are adopted on the next start`);
    // First: new connections are refused at once (the workers close their copies of the socket too).
    handle.close();
    internal?.handle.close();
    const all = [...workers.values(), ...(controller ? [controller] : [])];
    await Promise.all(all.map((c) => stopChild(c, () => c.child.kill('SIGTERM'), STOP_WAIT_MS)));
    rmSync(pidFile(dataDir, 'supervisor'), { force: true });
    finish(code);
  };

  process.on('SIGHUP', () => void reload('SIGHUP'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  for (let i = 0; i < options.gatewayWorkers; i++) startWorker();
  startController();
  return finished;
}

function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
}
