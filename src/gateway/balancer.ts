// Picks the version and the instance for one request attempt. Pure over the live table: the only
// effects are the WRR scores and round-robin cursors it advances.
import type { LiveInstance, LiveService, LiveVersion } from './live-routes.js';

/** Where an attempt goes. */
export interface Choice {
  version: LiveVersion;
  instance: LiveInstance;
}

const NONE: readonly string[] = [];

/** Whether an instance may take an attempt: not ejected, and not already tried by this request. */
export function usable(instance: LiveInstance, tried: readonly string[]): boolean {
  return !instance.state.ejected && (tried.length === 0 || !tried.includes(instance.id));
}

/**
 * Index of the first usable instance at or after `start` (wrapping), or -1.
 * Example: instances [a,b,c], start 1, b ejected -> 2 (c); start 3 wraps to 0.
 */
export function nextUsable(instances: readonly LiveInstance[], start: number, tried: readonly string[]): number {
  const n = instances.length;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    if (usable(instances[i]!, tried)) return i;
  }
  return -1;
}

/** The next usable instance of `version` in round-robin order (advancing its cursor), or null. */
export function pickInstance(version: LiveVersion, tried: readonly string[] = NONE): LiveInstance | null {
  const i = nextUsable(version.instances, version.cursor, tried);
  if (i === -1) return null;
  version.cursor = (i + 1) % version.instances.length;
  return version.instances[i]!;
}

/** Whether `version` has at least one usable instance. */
export function hasUsable(version: LiveVersion, tried: readonly string[] = NONE): boolean {
  return nextUsable(version.instances, 0, tried) !== -1;
}

/**
 * The version and instance for an attempt: `pinned` when it has a usable instance, else smooth
 * WRR over the versions with weight > 0 and a usable instance (the weight of a version without
 * one is shared by the rest), else — only when every weighted version is out — the first
 * weight-0 version with a usable instance, because an answer beats a 503. Null: no usable
 * instance anywhere in the service.
 */
export function choose(service: LiveService, pinned: LiveVersion | null, tried: readonly string[] = NONE): Choice | null {
  if (pinned) {
    const instance = pickInstance(pinned, tried);
    if (instance) return { version: pinned, instance };
  }
  const versions = service.versions;
  const index = service.wrr.next((i) => hasUsable(versions[i]!, tried));
  if (index !== -1) {
    const version = versions[index]!;
    return { version, instance: pickInstance(version, tried)! };
  }
  for (const version of versions) {
    const instance = pickInstance(version, tried);
    if (instance) return { version, instance };
  }
  return null;
}
