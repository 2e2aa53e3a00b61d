// Maps a field path (from the schema validator or a semantic check) back to the YAML node that
// holds it, so every error names a line and column, and renders the path for people:
// ['spec', 'versions', 0, 'replicas'] → `spec.versions[0].replicas`.
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { ParsedDocument } from './parse-yaml.js';

/** One step of a path into a manifest: a mapping key or a list index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Renders a path as people write it: `spec.versions[0].env["MY-VAR"]`. */
export function renderPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Turns a JSON pointer (`/spec/versions/0`) into segments, using the data to tell indexes from keys. */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: PathSegment = Array.isArray(cur) ? Number(key) : key;
    path.push(seg);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function deref(node: Node | null | undefined, parsed: ParsedDocument): Node | null {
  if (!node) return null;
  return isAlias(node) ? (parsed.aliases.get(node) ?? null) : node;
}

function start(node: Node | null | undefined): number | null {
  return node?.range ? node.range[0] : null;
}

/**
 * Character offset of the node at `path`: its value, or with `at: 'key'` the key naming it.
 * When the path does not exist (a missing field), the offset of the deepest existing parent.
 */
export function locate(parsed: ParsedDocument, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): number {
  let node = deref(parsed.doc.contents as Node | null, parsed);
  let offset = start(node) ?? parsed.doc.range[0];
  for (let i = 0; i < path.length && node; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      const keyOffset = start(pair.key as Node) ?? offset;
      if (last && at === 'key') return keyOffset;
      node = deref(pair.value as Node | null, parsed);
      offset = start(node) ?? keyOffset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return offset;
      node = deref(item, parsed);
      offset = start(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
