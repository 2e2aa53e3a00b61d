// Resource guards run around the yaml package, so a hostile file is rejected with an error
// instead of exhausting the stack (which can abort the process, not just throw), the heap
// (billion laughs) or the event loop.
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { CST, Document, Node } from 'yaml';
import { MAX_DOCUMENTS_PER_FILE, MAX_DOCUMENT_NODES, MAX_NESTING_DEPTH } from './limits.js';

/** A guard's verdict: where (character offset) and what went wrong. */
export interface GuardFailure {
  offset: number;
  message: string;
}

/** Anchored node each alias of a document refers to. */
export type AliasTargets = Map<Node, Node>;

const TOO_DEEP = `nests lists and mappings more than ${MAX_NESTING_DEPTH} levels deep; a manifest needs about 6`;

/** The error for a file with too many documents, at the first one past the limit. */
export const TOO_MANY_DOCUMENTS = `more than ${MAX_DOCUMENTS_PER_FILE} YAML documents in one file; DSR reads at most ${MAX_DOCUMENTS_PER_FILE} per file: split it into several files`;

/** True when a `---` document marker starts at `i` (a line start): followed by a blank or the end. */
function isDocumentMarker(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== 0x2d || !text.startsWith('---', i)) return false;
  const after = text.charCodeAt(i + 3);
  return Number.isNaN(after) || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d;
}

/**
 * Cheap pre-scan before any parsing, because the yaml parser takes seconds on a megabyte of
 * `[[[[` or `- - - -`: counts flow brackets (`[`, `{`) and compact block indicators at the
 * start of a line (`- - -`, `? ? ?`). It over-counts brackets inside plain scalars, which can
 * only make it fail on a file that also has 64 unclosed brackets in its text. Also counts the
 * `---` markers that start documents: a file has at most one document more than it has markers
 * (parseYaml checks the exact count once this bound has kept the parse short).
 */
export function preScan(text: string): GuardFailure | null {
  let depth = 0;
  let lineStart = true;
  let compact = 0;
  let markers = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineStart = true;
      compact = 0;
      continue;
    }
    if (lineStart && (i === 0 || text.charCodeAt(i - 1) === 0x0a) && isDocumentMarker(text, i)) {
      if (++markers > MAX_DOCUMENTS_PER_FILE) return { offset: i, message: TOO_MANY_DOCUMENTS };
    }
    if (lineStart) {
      const next = text.charCodeAt(i + 1);
      if ((c === 0x2d /* - */ || c === 0x3f) /* ? */ && (next === 0x20 || next === 0x09)) {
        if (++compact > MAX_NESTING_DEPTH) return { offset: i, message: TOO_DEEP };
        i++;
        continue;
      }
      if (c === 0x20 || c === 0x09) continue;
      lineStart = false;
    }
    if (c === 0x23 /* # */ && (i === 0 || text.charCodeAt(i - 1) <= 0x20)) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) break;
      i = eol - 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > MAX_NESTING_DEPTH) return { offset: i, message: TOO_DEEP };
    } else if ((c === 0x5d /* ] */ || c === 0x7d) /* } */ && depth > 0) {
      depth--;
    }
  }
  return null;
}

type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;

function isCstCollection(t: CST.Token | null | undefined): t is Collection {
  return t?.type === 'block-map' || t?.type === 'block-seq' || t?.type === 'flow-collection';
}

/**
 * Checks the exact nesting depth of the parsed token tree, iteratively, before it is composed;
 * also tells whether the documents use aliases at all (most manifests do not, and then the
 * expansion check can be skipped).
 */
export function inspectTokens(tokens: readonly CST.Token[]): { failure: GuardFailure | null; hasAliases: boolean } {
  const stack: Array<{ token: CST.Token; depth: number }> = [];
  for (const t of tokens) if (t.type === 'document' && t.value) stack.push({ token: t.value, depth: 1 });
  let hasAliases = false;
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (token.type === 'alias') hasAliases = true;
    if (!isCstCollection(token)) continue;
    if (depth > MAX_NESTING_DEPTH) return { failure: { offset: token.offset, message: TOO_DEEP }, hasAliases };
    for (const item of token.items) {
      if (item.key) stack.push({ token: item.key, depth: depth + 1 });
      if (item.value) stack.push({ token: item.value, depth: depth + 1 });
    }
  }
  return { failure: null, hasAliases };
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      if (isPair(item)) {
        if (item.key && typeof item.key === 'object') out.push(item.key as Node);
        if (item.value && typeof item.value === 'object') out.push(item.value as Node);
      } else if (item && typeof item === 'object') out.push(item as Node);
    }
  }
  return out;
}

/** Maps every alias to the anchored node it names (the last one defined before it). */
export function resolveAliases(doc: Document): AliasTargets {
  const targets: AliasTargets = new Map();
  const anchors = new Map<string, Node>();
  const stack: Node[] = doc.contents ? [doc.contents as Node] : [];
  // Depth-first, children pushed in reverse: visits nodes in document order.
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      continue;
    }
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) anchors.set(node.anchor, node);
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return targets;
}

/**
 * Bounds the document as aliases would expand it: depth and total node count. A failure points
 * at the outermost alias whose expansion went too far, the place the author has to change.
 */
export function checkExpandedSize(doc: Document, aliases: AliasTargets): GuardFailure | null {
  type Entry = { node: Node; depth: number; via: Node | null };
  const stack: Entry[] = doc.contents ? [{ node: doc.contents as Node, depth: 1, via: null }] : [];
  let visited = 0;
  while (stack.length > 0) {
    const { node, depth, via } = stack.pop()!;
    const offset = (via ?? node).range?.[0] ?? 0;
    if (++visited > MAX_DOCUMENT_NODES) {
      return { offset, message: `expands to more than ${MAX_DOCUMENT_NODES} values (aliases repeat their anchor's content); a manifest needs about 50` };
    }
    if (depth > MAX_NESTING_DEPTH) return { offset, message: TOO_DEEP };
    const alias = isAlias(node);
    const target = alias ? aliases.get(node) : node;
    const nextVia = via ?? (alias ? node : null);
    // Reversed, so the walk (a stack) follows document order and blames the first culprit.
    if (target) for (const child of children(target).reverse()) stack.push({ node: child, depth: depth + 1, via: nextVia });
  }
  return null;
}
