import type { PathSegment } from './locate.js';

/** A problem found in one document, before it is given a line and column. */
export interface Problem {
  /** The offending field. */
  path: PathSegment[];
  /** Point at the field's key (unknown fields) or its value (the default). */
  at?: 'key' | 'value';
  /** Point at this node instead of `path` (e.g. the mapping a required field is missing from). */
  locateAt?: PathSegment[];
  message: string;
}
