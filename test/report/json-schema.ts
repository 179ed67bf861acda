/**
 * A small JSON Schema (draft 2020-12) validator for the subset that schema/analysis.schema.json uses:
 * $ref (local), $defs, allOf, type, enum, const, minimum, maximum, format date-time, pattern, properties,
 * required, propertyNames, additionalProperties, unevaluatedProperties (true/false), items, minItems.
 * Any other keyword makes it throw, so the schema cannot quietly rely on something unchecked.
 */

export type Schema = boolean | { [k: string]: unknown };
export interface SchemaError {
  path: string;
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const KEYWORDS = new Set([
  '$ref', 'allOf', 'type', 'enum', 'const', 'minimum', 'maximum', 'format', 'pattern', 'properties', 'required',
  'propertyNames', 'additionalProperties', 'unevaluatedProperties', 'items', 'minItems',
]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    default:
      return typeOf(v) === t;
  }
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported: ${ref}`);
  let cur: unknown = root;
  for (const seg of ref.slice(2).split('/')) {
    cur = (cur as Record<string, unknown>)?.[seg.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (cur === undefined) throw new Error(`unresolvable $ref ${ref}`);
  }
  return cur as Schema;
}

/** Validates `value`; returns the errors (empty when valid). */
export function validate(root: Schema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

/** Checks one schema at one instance location; returns the object keys it evaluated (for unevaluatedProperties). */
function check(root: Schema, schema: Schema, v: unknown, path: string, errors: SchemaError[]): Set<string> {
  const evaluated = new Set<string>();
  if (schema === true) return evaluated;
  if (schema === false) {
    errors.push({ path, message: 'no value allowed here' });
    return evaluated;
  }
  for (const k of Object.keys(schema)) if (!ANNOTATIONS.has(k) && !KEYWORDS.has(k)) throw new Error(`unsupported keyword ${k} at ${path}`);
  const fail = (message: string) => errors.push({ path, message });
  const merge = (s: Set<string>) => s.forEach((k) => evaluated.add(k));

  if (typeof schema.$ref === 'string') merge(check(root, resolve(root, schema.$ref), v, path, errors));
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) merge(check(root, s as Schema, v, path, errors));

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(v, t))) fail(`expected ${types.join(' or ')}, got ${typeOf(v)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((x) => JSON.stringify(x) === JSON.stringify(v))) fail(`not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(v)) fail(`expected ${JSON.stringify(schema.const)}`);

  if (typeof v === 'number') {
    if (typeof schema.minimum === 'number' && v < schema.minimum) fail(`${v} < minimum ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && v > schema.maximum) fail(`${v} > maximum ${schema.maximum}`);
  }
  if (typeof v === 'string') {
    if (schema.format === 'date-time' && !(DATE_TIME.test(v) && Number.isFinite(Date.parse(v)))) fail(`not an RFC 3339 date-time: ${v}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) fail(`does not match ${schema.pattern}`);
  }
  if (Array.isArray(v)) {
    if (typeof schema.minItems === 'number' && v.length < schema.minItems) fail(`fewer than ${schema.minItems} items`);
    if (schema.items !== undefined) v.forEach((x, i) => check(root, schema.items as Schema, x, `${path}[${i}]`, errors));
  }
  if (typeOf(v) === 'object') {
    const obj = v as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [k, s] of Object.entries(props)) {
      if (k in obj) {
        check(root, s, obj[k], `${path}.${k}`, errors);
        evaluated.add(k);
      }
    }
    if (Array.isArray(schema.required)) for (const k of schema.required as string[]) if (!(k in obj)) fail(`missing required ${k}`);
    if (schema.propertyNames !== undefined) for (const k of Object.keys(obj)) check(root, schema.propertyNames as Schema, k, `${path}{${k}}`, errors);
    if (schema.additionalProperties !== undefined) {
      for (const k of Object.keys(obj)) {
        if (k in props) continue;
        if (schema.additionalProperties === false) fail(`property ${k} is not described`);
        else check(root, schema.additionalProperties as Schema, obj[k], `${path}.${k}`, errors);
        evaluated.add(k);
      }
    }
    if (schema.unevaluatedProperties === false) {
      for (const k of Object.keys(obj)) if (!evaluated.has(k)) fail(`property ${k} is not described`);
    } else if (schema.unevaluatedProperties !== undefined && schema.unevaluatedProperties !== true) {
      throw new Error('unevaluatedProperties: only true/false supported');
    }
  }
  return evaluated;
}

/**
 * Property paths that the schema describes and the value actually has, e.g. `$.routes[].codeMix[].reason`:
 * the union over every instance. Used to show a fixture is fully populated (every described field present).
 */
export function presentPaths(root: Schema, value: unknown): Set<string> {
  const out = new Set<string>();
  walk(root, root, value, '$', out);
  return out;
}

function walk(root: Schema, schema: Schema, v: unknown, path: string, out: Set<string>): void {
  if (typeof schema === 'boolean') return;
  if (typeof schema.$ref === 'string') walk(root, resolve(root, schema.$ref), v, path, out);
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) walk(root, s as Schema, v, path, out);
  if (Array.isArray(v) && schema.items !== undefined) for (const x of v) walk(root, schema.items as Schema, x, `${path}[]`, out);
  if (typeOf(v) === 'object' && schema.properties) {
    for (const [k, s] of Object.entries(schema.properties as Record<string, Schema>)) {
      const obj = v as Record<string, unknown>;
      if (k in obj) {
        out.add(`${path}.${k}`);
        walk(root, s, obj[k], `${path}.${k}`, out);
      }
    }
  }
}

/** Every property path the schema can describe (following $ref and allOf, arrays as `[]`). */
export function describedPaths(root: Schema): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const go = (schema: Schema, path: string) => {
    if (typeof schema === 'boolean') return;
    if (typeof schema.$ref === 'string') {
      const key = `${schema.$ref}@${path}`;
      if (seen.has(key)) return;
      seen.add(key);
      go(resolve(root, schema.$ref), path);
    }
    if (Array.isArray(schema.allOf)) for (const s of schema.allOf) go(s as Schema, path);
    if (schema.items !== undefined) go(schema.items as Schema, `${path}[]`);
    if (schema.properties)
      for (const [k, s] of Object.entries(schema.properties as Record<string, Schema>)) {
        out.add(`${path}.${k}`);
        go(s, `${path}.${k}`);
      }
  };
  go(root, '$');
  return out;
}

/** The properties a definition describes (own, and through $ref/allOf), and which are required. */
export function defProperties(root: Schema, schema: Schema): { names: Set<string>; required: Set<string> } {
  const names = new Set<string>();
  const required = new Set<string>();
  const go = (s: Schema) => {
    if (typeof s === 'boolean') return;
    if (typeof s.$ref === 'string') go(resolve(root, s.$ref));
    if (Array.isArray(s.allOf)) for (const x of s.allOf) go(x as Schema);
    if (s.properties) for (const k of Object.keys(s.properties as object)) names.add(k);
    if (Array.isArray(s.required)) for (const k of s.required as string[]) required.add(k);
  };
  go(schema);
  return { names, required };
}

export { resolve as resolveRef };
