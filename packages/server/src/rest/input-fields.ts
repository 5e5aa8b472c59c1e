// What the route table's input schemas are made of, read through zod's public API (the schema
// classes and their accessors): the object under an input's default, its fields, and what each
// field holds under optional/nullable/default. The URL decoder and the OpenAPI document both read
// the inputs this way, so they agree on every field.
import { z } from 'zod';

type Schema = z.core.$ZodType;

/** The object schema of a route's input (ListTasksInput and TaskStatsInput sit under a `.default`). */
export function inputObject(input: Schema): z.ZodObject {
  const inner = input instanceof z.ZodDefault || input instanceof z.ZodOptional ? input.unwrap() : input;
  if (!(inner instanceof z.ZodObject)) throw new Error('A REST route takes an object schema as input');
  return inner;
}

/** A field's schema under its optional, nullable and default wrappers. */
export function fieldType(field: Schema): Schema {
  let current = field;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap();
  return current;
}

/** Whether a field may be left out (optional, or with a default). */
export function isOptionalField(field: Schema): boolean {
  return z.safeParse(field, undefined).success;
}

/** The element schema of a field that takes an array (`tag`: one tag or several), if it does. */
export function listElement(field: Schema): Schema | undefined {
  const type = fieldType(field);
  const options = type instanceof z.ZodUnion ? type.options : [type];
  const list = options.find((option) => option instanceof z.ZodArray);
  return list instanceof z.ZodArray ? list.element : undefined;
}

/** The values of an enum field (or enum list element); undefined for anything else. */
export function enumValues(field: Schema): readonly unknown[] | undefined {
  const type = fieldType(field);
  return type instanceof z.ZodEnum ? type.options : undefined;
}

/** A field without `null` among its values (a URL cannot carry one): `nullish()` reads as `optional()`. */
export function withoutNull(field: Schema): Schema {
  const optional = field instanceof z.ZodOptional;
  const inner = optional ? field.unwrap() : field;
  if (!(inner instanceof z.ZodNullable)) return field;
  return optional ? z.optional(inner.unwrap()) : inner.unwrap();
}
