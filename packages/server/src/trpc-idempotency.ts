// The Idempotency-Key of a /trpc request. One key names one call: a batch of several calls shares
// one request and its headers, so a key on such a batch is refused rather than applied to each call
// or to a guessed one. @tasks/client sends keyed mutations unbatched (httpLink), one call a request.
import { InvalidIdempotencyKey } from '@tasks/api';
import type { FastifyRequest } from 'fastify';
import { idempotencyKey } from './rest/write-headers.ts';

export function trpcIdempotencyKey(request: FastifyRequest): string | InvalidIdempotencyKey | undefined {
  const key = idempotencyKey(request.headers['idempotency-key']);
  if (key === undefined || typeof key !== 'string') return key;
  const procedures = request.url.split('?', 1)[0] ?? '';
  if (procedures.includes(',')) return new InvalidIdempotencyKey('Idempotency-Key names one call: send a keyed mutation on its own, not in a batch');
  return key;
}
