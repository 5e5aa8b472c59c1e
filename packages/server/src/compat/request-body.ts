// Reading a request body the way FastAPI did: JSON when the content type is JSON (or absent), an
// object with named fields, camelCase spellings accepted, unknown fields ignored. Problems here are
// the 422s of FastAPI's shape; the values' rules stay in the shared schemas.
import { entry, unprocessable, type ValidationEntry } from './detail-errors.ts';

export type JsonObject = Record<string, unknown>;

function isJsonContentType(header: string | undefined): boolean {
  if (!header) return true;
  const mediaType = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

/**
 * The body of a route that takes one, as an object. `raw` is the unparsed text (the compatibility
 * routes parse bodies themselves, after authentication, so a bad body never hides a 401 or 403).
 */
export function readJsonObject(raw: unknown, contentType: string | undefined): JsonObject {
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) throw unprocessable([entry.missing()]);
  if (!isJsonContentType(contentType) || typeof raw !== 'string') throw unprocessable([entry.notAnObject()]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw unprocessable([entry.jsonInvalid(position ? Number(position) : 0)]);
  }
  if (parsed === null) throw unprocessable([entry.missing()]);
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw unprocessable([entry.notAnObject()]);
  return parsed as JsonObject;
}

/** A field by its snake_case name or one of its other spellings; `undefined` when absent. */
export function fieldValue(body: JsonObject, names: readonly string[]): unknown {
  for (const name of names) if (Object.hasOwn(body, name)) return body[name];
  return undefined;
}

/** Collects 422 entries across a body, then throws them together (FastAPI lists every problem). */
export class ProblemList {
  readonly entries: ValidationEntry[] = [];
  add(problem: ValidationEntry): void {
    this.entries.push(problem);
  }
  throwIfAny(): void {
    if (this.entries.length) throw unprocessable(this.entries);
  }
}
