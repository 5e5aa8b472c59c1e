// JSON Schemas of the procedures' outputs, for Fastify's response serializer (fast-json-stringify):
// a page of tasks serializes in about a third of JSON.stringify's time (bench/README.md, "Profile").
// Derived from the same zod schemas the procedures validate their output with, so nothing is
// written twice; the output has been validated by then, so the serializer only writes it.
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

function isNullOnly(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && Object.keys(schema).length === 1 && (schema as JsonSchema)['type'] === 'null';
}

/**
 * `anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }]` as `type: ['string', 'null']`:
 * fast-json-stringify picks an `anyOf` branch by validating the value, and a Date is no string to a
 * validator; a type list is written directly (a Date through its ISO form).
 */
function collapseNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(collapseNullable);
  if (typeof node !== 'object' || node === null) return node;
  const schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, collapseNullable(value)])) as JsonSchema;
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf) && anyOf.length === 2 && isNullOnly(anyOf[1])) {
    const other = anyOf[0] as JsonSchema;
    if (typeof other['type'] === 'string') {
      const { anyOf: _anyOf, ...rest } = schema;
      return { ...rest, ...other, type: [other['type'], 'null'] };
    }
  }
  return schema;
}

/** The serializer's schema for what a zod output schema produces (timestamps as ISO 8601 strings). */
export function responseSchema(output: z.core.$ZodType): JsonSchema {
  const schema = z.toJSONSchema(output, {
    io: 'output',
    // Without the global registry: no `$ref`s to shared ids, no examples, just the shape.
    metadata: z.registry(),
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
      // The serializer picks a union's branch by validating the value, and a Date is no string to a
      // validator: a union (a task or a tombstone) is written by JSON.stringify instead.
      if (ctx.zodSchema._zod.def.type === 'union') for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
    },
  }) as JsonSchema;
  delete schema['$schema'];
  return collapseNullable(schema) as JsonSchema;
}
