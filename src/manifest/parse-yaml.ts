// Parses a manifest file's text into YAML documents, keeping the syntax trees (for error
// positions) next to the plain values (for the schema). Uses the yaml package's Parser and
// Composer directly, rather than parseAllDocuments, so resource guards can run in between.
import { Composer, LineCounter, Parser, isScalar } from 'yaml';
import type { Document } from 'yaml';
import { MAX_ALIAS_COUNT, MAX_DOCUMENTS_PER_FILE, MAX_ERRORS_PER_FILE } from './limits.js';
import { findDuplicateKeys } from './duplicate-keys.js';
import { TOO_MANY_DOCUMENTS, checkExpandedSize, inspectTokens, preScan, resolveAliases } from './yaml-guards.js';
import type { AliasTargets } from './yaml-guards.js';

/** A problem at a character offset of the file's text. */
export interface TextProblem {
  offset: number;
  message: string;
}

/** One non-empty YAML document of a file. `value` is absent when the document has errors. */
export interface ParsedDocument {
  doc: Document.Parsed;
  aliases: AliasTargets;
  value?: unknown;
}

/** Everything parsing one file produced. */
export interface ParsedYaml {
  lineCounter: LineCounter;
  documents: ParsedDocument[];
  /** At most MAX_ERRORS_PER_FILE problems; `omitted` counts the rest. */
  problems: TextProblem[];
  omitted: number;
}

const TAB_MESSAGE = 'tab character in indentation: YAML indents with spaces only; replace the tab with spaces';

/** True when the line holding `offset` has a tab in its leading whitespace. */
function indentedWithTab(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(start, start + 256))?.[0] ?? '';
  return indent.includes('\t');
}

/**
 * A YAML error in words a person can act on. A tab in the indentation confuses the parser into
 * several different errors on its line; they become one, pointing at the tab itself.
 */
function yamlProblem(text: string, code: string, message: string, offset: number): TextProblem {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const tab = text.indexOf('\t', lineStart);
  if (code === 'TAB_AS_INDENT' || indentedWithTab(text, offset)) return { offset: tab >= 0 ? tab : offset, message: TAB_MESSAGE };
  return { offset, message: `invalid YAML: ${message.replace(/\s+/g, ' ').trim()}` };
}

/** Fills the line counter from the text, for problems found before the parser ran. */
function countLines(text: string, lineCounter: LineCounter): LineCounter {
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  return lineCounter;
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
}

/** Parses every document of a file, guarding against nesting and alias bombs. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const scanned = preScan(text);
  if (scanned) return { lineCounter: countLines(text, lineCounter), documents: [], problems: [scanned], omitted: 0 };
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const { failure, hasAliases } = inspectTokens(tokens);
  if (failure) return { lineCounter, documents: [], problems: [failure], omitted: 0 };

  const documents: ParsedDocument[] = [];
  const problems: TextProblem[] = [];
  let omitted = 0;
  const add = (make: () => TextProblem): void => {
    // Capped before any work per problem: hostile input can yield hundreds of thousands.
    if (problems.length >= MAX_ERRORS_PER_FILE) {
      omitted++;
      return;
    }
    const problem = make();
    if (!problems.some((p) => p.offset === problem.offset && p.message === problem.message)) problems.push(problem);
  };
  for (const doc of new Composer({ prettyErrors: false, uniqueKeys: false }).compose(tokens)) {
    for (const e of [...doc.errors, ...doc.warnings]) add(() => yamlProblem(text, e.code, e.message, e.pos[0]));
    const duplicates = findDuplicateKeys(doc);
    for (const d of duplicates) {
      const message = `duplicate key "${d.key}": it already appears on line ${lineCounter.linePos(d.firstOffset).line} of the same mapping`;
      add(() => ({ offset: d.offset, message }));
    }
    const issues = doc.errors.length + doc.warnings.length + duplicates.length;
    if (isEmptyDocument(doc)) continue;
    if (documents.length === MAX_DOCUMENTS_PER_FILE) {
      // One past the bound preScan allows (a file need not start with `---`): the file fails.
      add(() => ({ offset: doc.range[0], message: TOO_MANY_DOCUMENTS }));
      break;
    }
    const aliases: AliasTargets = hasAliases ? resolveAliases(doc) : new Map();
    const parsed: ParsedDocument = { doc, aliases };
    documents.push(parsed);
    if (issues > 0) continue;
    const tooBig = hasAliases ? checkExpandedSize(doc, aliases) : null;
    if (tooBig) {
      add(() => tooBig);
      continue;
    }
    try {
      parsed.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      // The guards above should make this unreachable; keep the file failing, not DSR.
      const message = cause instanceof Error ? cause.message : String(cause);
      add(() => ({ offset: doc.range[0], message: `cannot be converted to data: ${message}` }));
    }
  }
  return { lineCounter, documents, problems, omitted };
}
