// Runs the EventLog contract against every implementation, and the JSONL log once more with
// tiny files and a one-event ring so every query goes through rotated segments on disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlEventLog } from '../../src/events/jsonl-event-log.js';
import type { JsonlEventLogOptions } from '../../src/events/jsonl-event-log.js';
import { MemoryEventLog } from '../../src/events/memory-event-log.js';
import { eventLogContract } from '../contract/event-log.contract.js';
import type { EventLogFactory } from '../contract/event-log.contract.js';

function jsonl(extra: JsonlEventLogOptions): EventLogFactory {
  return async ({ clock, warn }) => {
    const dir = await mkdtemp(join(tmpdir(), 'dsr-events-'));
    const log = await JsonlEventLog.open(dir, { clock, warn, ...extra });
    return { log, cleanup: () => rm(dir, { recursive: true, force: true }) };
  };
}

eventLogContract('MemoryEventLog', async ({ clock, warn }) => ({ log: new MemoryEventLog({ clock, warn }), cleanup: async () => undefined }));
eventLogContract('JsonlEventLog', jsonl({}));
eventLogContract('JsonlEventLog, a segment every ~3 events, reading from files', jsonl({ maxFileBytes: 500, maxFiles: 1000, recentEvents: 1 }));
