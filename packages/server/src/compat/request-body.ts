// Reading a request body the way FastAPI did: JSON when the content type is JSON (or absent), then the
// route's body schema (task-bodies.ts). Problems here are the 422s of FastAPI's shape; the values'
// rules stay in the shared schemas.
import type { z } from 'zod';
import { unprocessable } from './detail-errors.ts';
import { bodyTextEntry, fromBodyIssues } from './validation-errors.ts';

function isJsonContentType(header: string | undefined): boolean {
  if (!header) return true;
  const mediaType = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

/** The body's JSON value. `raw` is the unparsed text (the compatibility routes parse bodies after authentication). */
function readJson(raw: unknown, contentType: string | undefined): unknown {
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) throw unprocessable([bodyTextEntry.missing()]);
  if (!isJsonContentType(contentType) || typeof raw !== 'string') throw unprocessable([bodyTextEntry.notAnObject()]);
  try {
    return JSON.parse(raw);
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw unprocessable([bodyTextEntry.jsonInvalid(position ? Number(position) : 0)]);
  }
}

/**
 * The body of a route that takes one, parsed by its schema. Parsed after authentication, so a bad body
 * never hides a 401 or 403; with `reportInput`, so that the entries tell an absent field from a `null`.
 */
export function readBody<T extends z.ZodType>(schema: T, raw: unknown, contentType: string | undefined): z.output<T> {
  const parsed = schema.safeParse(readJson(raw, contentType), { reportInput: true });
  if (!parsed.success) throw fromBodyIssues(parsed.error.issues);
  return parsed.data;
}
