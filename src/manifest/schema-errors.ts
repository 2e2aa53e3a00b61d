// Turns the schema validator's errors into messages a person can act on:
// `must be an integer between 0 and 100, got "two"` rather than `must be integer`.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { forbiddenFieldReason } from './forbidden.js';
import { pointerToPath } from './locate.js';
import type { Problem } from './problem.js';
import { MESSAGE_KEYWORD } from './schema.js';
import { closestName } from './suggest.js';

type SchemaObject = Record<string, unknown>;

/** Describes a value as the user wrote it: `"two"`, `5`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty value)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function numberRule(schema: SchemaObject): string {
  const noun = schema['type'] === 'integer' ? 'an integer' : 'a number';
  const min = schema['minimum'];
  const max = schema['maximum'];
  if (typeof min === 'number' && typeof max === 'number') return `must be ${noun} from ${min} to ${max}`;
  if (typeof min === 'number') return `must be ${noun} >= ${min}`;
  if (typeof max === 'number') return `must be ${noun} <= ${max}`;
  return `must be ${noun}`;
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function typeRule(schema: SchemaObject): string {
  const type = schema['type'];
  if (type === 'integer' || type === 'number') return numberRule(schema);
  const types = Array.isArray(type) ? type : [type];
  return `must be ${types.map((t) => TYPE_NOUNS[String(t)] ?? String(t)).join(' or ')}`;
}

function unknownField(e: ErrorObject, field: string): string {
  const reason = forbiddenFieldReason(field);
  if (reason) return reason;
  const properties = Object.keys((e.parentSchema?.['properties'] as SchemaObject | undefined) ?? {});
  const guess = closestName(field, properties);
  if (guess) return `unknown field "${field}" (did you mean "${guess}"?)`;
  const allowed = properties.length > 0 ? `; allowed here: ${properties.join(', ')}` : '';
  return `unknown field "${field}"${allowed}`;
}

function ruleFor(e: ErrorObject): string {
  const schema = (e.parentSchema ?? {}) as SchemaObject;
  const custom = schema[MESSAGE_KEYWORD];
  if (typeof custom === 'string') return custom;
  switch (e.keyword) {
    case 'type':
    case 'minimum':
    case 'maximum':
      return typeRule(schema);
    case 'const':
      return `must be ${JSON.stringify(e.params['allowedValue'])}`;
    case 'minItems':
      return `must have at least ${String(e.params['limit'])} item(s)`;
    default:
      return e.message ?? `breaks the schema rule "${e.keyword}"`;
  }
}

/** Converts ajv errors (for `data`) into located, human-worded problems. */
export function schemaProblems(errors: readonly ErrorObject[], data: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const e of errors) {
    const path = pointerToPath(e.instancePath, data);
    if (e.keyword === 'propertyNames') continue; // reported through the inner error, which names the key
    if (e.keyword === 'additionalProperties') {
      // `pause: {x: 1}` already fails maxProperties with a message that says what to write.
      if ((e.parentSchema as SchemaObject | undefined)?.['maxProperties'] === 0) continue;
      const field = String(e.params['additionalProperty']);
      problems.push({ path: [...path, field], at: 'key', message: unknownField(e, field) });
    } else if (e.keyword === 'required') {
      const field = String(e.params['missingProperty']);
      problems.push({ path: [...path, field], locateAt: path, message: 'required field is missing' });
    } else if (e.propertyName !== undefined) {
      problems.push({ path: [...path, e.propertyName], at: 'key', message: ruleFor(e) });
    } else if (path.length === 0 && e.keyword === 'type') {
      const message = `a manifest document must be a mapping with apiVersion, kind, metadata and spec, got ${describeValue(e.data)}`;
      problems.push({ path, message });
    } else {
      // "got a mapping" adds nothing to a shape rule about that very mapping (a step with two keys).
      const isMapping = typeof e.data === 'object' && e.data !== null && !Array.isArray(e.data);
      const got = isMapping && e.keyword !== 'type' ? '' : `, got ${describeValue(e.data)}`;
      problems.push({ path, message: `${ruleFor(e)}${got}` });
    }
  }
  return problems;
}
