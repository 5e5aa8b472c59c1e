// The conditional-request and idempotency headers of /api/tasks…: ETags (RFC 9110 §8.8.3), If-Match
// and If-None-Match (§13.1.1, §13.1.2), and Idempotency-Key (draft-ietf-httpapi-idempotency-key-header).
import { InvalidIdempotencyKey } from '@tasks/api';
import { TRPCError } from '@trpc/server';

/** A task's strong ETag: its id and version, nothing that costs more than joining two numbers. */
export const taskEtag = (task: { id: number; version: number }): string => `"${task.id}-${task.version}"`;

interface EntityTag {
  weak: boolean;
  opaque: string;
}

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text; lists may hold empty elements.
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/** `*`, or the list's entity tags; undefined when the header is absent; a 400 when it is no such list. */
export function parseEntityTags(header: string | undefined, name: string): '*' | EntityTag[] | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return '*';
  const tags: EntityTag[] = [];
  // A quoted tag may hold commas, so tags are matched whole; anything else up to a comma is refused.
  for (const element of value.match(/(?:W\/)?"[^"]*"|[^,\s][^,]*|,/g) ?? []) {
    if (element === ',') continue;
    const match = ENTITY_TAG.exec(element.trim());
    if (!match) throw new TRPCError({ code: 'BAD_REQUEST', message: `${name}: not "*" or a list of entity tags such as "42-3"` });
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
  }
  if (tags.length === 0) throw new TRPCError({ code: 'BAD_REQUEST', message: `${name}: not "*" or a list of entity tags such as "42-3"` });
  return tags;
}

/**
 * The versions of task `id` that If-Match accepts: undefined for `*` (any current task) or no header;
 * otherwise the strong tags of this task (a weak tag never matches If-Match, RFC 9110 §13.1.1), which
 * may be none, so that the write fails its precondition.
 */
export function ifMatchVersions(header: string | undefined, id: number): number[] | undefined {
  const tags = parseEntityTags(header, 'If-Match');
  if (tags === undefined || tags === '*') return undefined;
  const versions: number[] = [];
  for (const tag of tags) {
    const match = /^(\d{1,10})-(\d{1,10})$/.exec(tag.opaque);
    if (!tag.weak && match && Number(match[1]) === id && Number(match[2]) <= 2_147_483_647) versions.push(Number(match[2]));
  }
  return versions;
}

/** If-None-Match on a read: true when it names the current ETag (weak comparison, §13.1.2) or is `*`. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  const tags = parseEntityTags(header, 'If-None-Match');
  if (tags === undefined) return false;
  if (tags === '*') return true;
  const opaque = etag.slice(1, -1);
  return tags.some((tag) => tag.opaque === opaque);
}

export const IDEMPOTENCY_KEY_MAX = 255;

/**
 * The Idempotency-Key's value: the draft makes it a Structured Field String (`"…"`); a bare token, as
 * many clients send, is taken as it is. Printable ASCII only (what an sf-string can hold), 1–255
 * characters; anything else is the draft's 400.
 */
export function idempotencyKey(header: string | string[] | undefined): string | InvalidIdempotencyKey | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) return new InvalidIdempotencyKey('Idempotency-Key: send one key');
  let key = header.trim();
  if (key.startsWith('"')) {
    const match = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(key);
    if (!match) return new InvalidIdempotencyKey('Idempotency-Key: not a structured-field string such as "8e03978e-40d5-43e8"');
    key = (match[1] ?? '').replace(/\\(["\\])/g, '$1');
  } else if (!/^[\x21-\x7e]*$/.test(key)) {
    return new InvalidIdempotencyKey('Idempotency-Key: use printable ASCII characters only');
  }
  if (key.length === 0) return new InvalidIdempotencyKey('Idempotency-Key: must not be empty');
  if (key.length > IDEMPOTENCY_KEY_MAX) return new InvalidIdempotencyKey(`Idempotency-Key: must be at most ${IDEMPOTENCY_KEY_MAX} characters`);
  return key;
}
