// The SPEC §8 fields of a ServiceSpec as a manifest without them normalizes (a service with a
// port): spread into hand-built specs so tests of older behaviour need not spell them out.
import type { ServiceSpec } from '../../src/manifest/service-spec.js';

/** strategy Canary, no volumes, no limits, no secrets, no dependencies, no labels. */
export const STACK_FIELDS_ABSENT: Pick<ServiceSpec, 'strategy' | 'volumes' | 'resources' | 'secrets' | 'dependsOn' | 'labels'> = Object.freeze({
  strategy: 'Canary',
  volumes: [],
  resources: { memoryBytes: null, nanoCpus: null, pids: null },
  secrets: [],
  dependsOn: [],
  labels: {},
});
