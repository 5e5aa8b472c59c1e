// The one error body of /api/tasks…: `{ code, message, issues? }`, whatever produced the error (a
// procedure, Fastify's body parser, the rate limiter, the route table). Status and headers are the
// error catalogue's (`errorHttp`); this surface only shapes the body.
import { clientErrorMessage, errorDetails, errorHttp, Task, type ErrorHttp } from '@tasks/api';
import { z } from 'zod';
import { fromFrameworkError } from '../framework-errors.ts';
import { taskEtag } from './write-headers.ts';

export const RestError = z
  .object({
    code: z.string().meta({ description: 'Stable machine-readable code (tRPC error code names)', example: 'BAD_REQUEST' }),
    message: z.string().meta({ example: 'title: Title is required' }),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per invalid field (400 only)' }),
    current: Task.optional().meta({ description: 'The task as it is now, when a write expected another version (412, 409)' }),
    operation: z.number().int().optional().meta({ description: 'The index of the batch operation that failed (nothing was applied)' }),
  })
  .meta({
    id: 'ApiError',
    description: 'Every error on /api/tasks has this shape',
    example: { code: 'BAD_REQUEST', message: 'title: Title is required', issues: [{ path: 'title', message: 'Title is required' }] },
  });
export type RestError = z.infer<typeof RestError>;

export interface RestErrorAnswer extends ErrorHttp {
  body: RestError;
}

/**
 * What this surface answers for an error from anywhere (a procedure's TRPCError, a catalogue error,
 * one of Fastify's own): the catalogue's status and headers, the code, the field issues of invalid
 * input, and no description of an internal error.
 */
export function restErrorAnswer(error: unknown): RestErrorAnswer {
  const caught = fromFrameworkError(error);
  const { message, issues } = clientErrorMessage(caught);
  const http = errorHttp(caught);
  const details = errorDetails(caught) as { current?: Task; operation?: number };
  // A 412 carries the current task's ETag, so the client can retry with it at once.
  if (details.current && http.status === 412) http.headers['etag'] = taskEtag(details.current);
  return { ...http, body: { code: caught.code, message, ...(issues?.length ? { issues } : {}), ...details } };
}

/** For errors Fastify raises before routing (server.ts's `frameworkErrors`): the status and the body. */
export function fromFastifyError(error: unknown): { status: number; body: RestError } {
  const { status, body } = restErrorAnswer(error);
  return { status, body };
}
