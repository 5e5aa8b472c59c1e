// The original /auth routes' wire format (SEED-CONTRACT.md, "The original front end's accounts"):
// snake_case bodies, `{"detail": …}` errors, FastAPI's 422 list for invalid input. The rules are the
// procedures'; this file only words their answers.
import { STATUS_CODES } from 'node:http';
import { errorHttp, type AccountSession } from '@tasks/api';
import { TRPCError } from '@trpc/server';
import { ZodError, z, type core } from 'zod';
import { CompatError, unprocessable, type ValidationEntry } from '../compat/detail-errors.ts';
import { fromFrameworkError } from '../framework-errors.ts';

/** The JSON types of the bodies; the values' rules (email, lengths) are the procedures' input schemas. */
export const SignUpBody = z.object({ email: z.string(), password: z.string(), name: z.string() });
export const SignInBody = z.object({ email: z.string(), password: z.string() });

export function toWireSession(session: AccountSession) {
  return { user: session.user, token: session.token, token_type: 'Bearer', expires_in: session.expiresIn };
}

export const SIGNED_OUT = { message: 'Signed out successfully', status: 'success' } as const;

/**
 * pydantic's entry for an issue of the procedures' input. No entry carries `input` (FastAPI's would):
 * it would send the password back.
 */
function inputEntry(issue: core.$ZodIssue): ValidationEntry & { ctx?: Record<string, unknown> } {
  const loc = ['body', ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))];
  if (issue.code === 'too_small' && issue.origin === 'string') {
    const min = Number(issue.minimum);
    return { type: 'string_too_short', loc, msg: `String should have at least ${min} character${min === 1 ? '' : 's'}`, ctx: { min_length: min } };
  }
  if (issue.code === 'too_big' && issue.origin === 'string') {
    const max = Number(issue.maximum);
    return { type: 'string_too_long', loc, msg: `String should have at most ${max} characters`, ctx: { max_length: max } };
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') {
    return { type: 'value_error', loc, msg: 'value is not a valid email address' };
  }
  return { type: 'value_error', loc, msg: `Value error, ${issue.message}` };
}

/**
 * Whatever reached the routes' error handler (a procedure's error, this adapter's 422, Fastify's body
 * limit, the rate limiter), as the original answered it: `{"detail": {"error": <reason>, "message"}}`
 * with the catalogue's status and headers.
 */
export function accountFailure(error: unknown): CompatError {
  if (error instanceof CompatError) return error;
  if (error instanceof TRPCError && error.cause instanceof ZodError) return unprocessable(error.cause.issues.map(inputEntry));
  const caught = fromFrameworkError(error);
  const { status } = errorHttp(caught);
  const message = status >= 500 && caught.code !== 'SERVICE_UNAVAILABLE' ? 'Internal server error' : caught.message;
  return new CompatError(caught, { detail: { error: STATUS_CODES[status] ?? 'Error', message } });
}
