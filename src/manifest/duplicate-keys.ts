// Finds keys repeated within one mapping. The yaml package can do this itself, but compares
// every key with every other (quadratic: a file of 20,000 keys took seconds), so DSR turns that
// off and checks here with a Set per mapping.
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';

/** A key that already appeared earlier in the same mapping. */
export interface DuplicateKey {
  key: string;
  offset: number;
  firstOffset: number;
}

/** Every repeated key of a document's mappings (aliases are not followed: their target is checked where it is). */
export function findDuplicateKeys(doc: Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Node[] = doc.contents ? [doc.contents as Node] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isSeq(node)) {
      for (const item of node.items) if (item && typeof item === 'object') stack.push(item as Node);
    } else if (isMap(node)) {
      // Keys are compared as the strings they become in the loaded object: `1` and "1" collide.
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          const offset = pair.key.range?.[0] ?? 0;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, offset);
          else found.push({ key, offset, firstOffset: first });
        } else if (pair.key && typeof pair.key === 'object') {
          stack.push(pair.key as Node);
        }
        if (pair.value && typeof pair.value === 'object') stack.push(pair.value as Node);
      }
    }
  }
  return found;
}
