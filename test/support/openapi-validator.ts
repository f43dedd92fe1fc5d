import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validates real answers against the service's OpenAPI 3.0 document with Ajv (+ ajv-formats for
 * date-time, uuid, byte). OpenAPI 3.0 schemas are not quite JSON Schema, so each is converted
 * first: `nullable: true` becomes "or null", `#/components/schemas/X` refs point into `$defs`,
 * and keywords Ajv does not know (example) are dropped. On purpose the conversion is stricter
 * than the document: an object that lists its properties accepts no others, so a field the
 * service sends but the document does not describe fails the test.
 */
type Schema = Record<string, unknown>;

const DROPPED = new Set(['example', 'examples', 'xml', 'externalDocs', 'deprecated', 'nullable']);

function convert(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convert);
  if (typeof schema !== 'object' || schema === null) return schema;
  const source = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/components/schemas/', '#/$defs/');
    else if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([name, sub]) => [name, convert(sub)]));
    } else out[key] = convert(value);
  }
  if (source.properties !== undefined && source.additionalProperties === undefined) out.additionalProperties = false;
  if (source.type === 'object' && source.properties === undefined && source.additionalProperties === undefined) out.additionalProperties = true;
  return source.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export class OpenApiValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  private readonly defs: Schema;
  private readonly cache = new Map<unknown, ValidateFunction>();

  constructor(document: { components?: { schemas?: Schema } }) {
    addFormats(this.ajv);
    this.defs = convert(document.components?.schemas ?? {}) as Schema;
  }

  /** Problems of `value` against `schema` (an OpenAPI schema of the document), or [] when it fits. */
  problems(schema: unknown, value: unknown): string[] {
    let validate = this.cache.get(schema);
    if (!validate) {
      validate = this.ajv.compile({ ...(convert(schema) as Schema), $defs: this.defs });
      this.cache.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
