// The compatibility routes' part of the OpenAPI 3.1 document: its own tag, its own snake_case task
// schema and its own `{"detail": …}` error bodies, ready to merge into the generated document.
import { MAX_TASK_ID } from '@tasks/db';
import { z } from 'zod';
import { CompatCreateTaskBody, CompatStatusBody, CompatUpdateTaskBody } from './task-bodies.ts';
import { CompatTask } from './task-wire.ts';

export const COMPAT_TAG = 'Original API (compatibility)';
/** trpc-to-openapi's default name for the bearer scheme, so the merged document has one. */
const SECURITY_SCHEME = 'Authorization';

const DetailError = z.object({ detail: z.object({ error: z.string() }) });
const AuthError = z.object({ detail: z.object({ error: z.enum(['Unauthorized', 'Forbidden']), message: z.string() }) });
const ValidationError = z.object({
  detail: z.array(
    z.object({
      type: z.string().meta({ examples: ['missing', 'string_type', 'bool_type', 'list_type', 'json_invalid', 'model_attributes_type', 'enum', 'value_error'] }),
      loc: z.array(z.union([z.string(), z.number()])),
      msg: z.string(),
    }),
  ),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, example?: unknown) => ({
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
});

const exampleTask = {
  id: 12,
  user_id: 'auth0|abc',
  title: 'Buy milk',
  description: null,
  status: 'incomplete',
  completed: false,
  completed_at: null,
  created_at: '2026-11-24T10:15:30.123Z',
  updated_at: '2026-11-24T10:15:30.123Z',
  priority: 'medium',
  due_date: '2026-12-01',
  is_overdue: false,
  is_due_today: false,
  days_until_due: 7,
  tags: [],
};

const errors = {
  400: { description: 'Bad input (`Invalid task ID`, `Title is required`, …)', ...json(ref('CompatDetailError'), { detail: { error: 'Invalid task ID' } }) },
  401: {
    description: 'Missing or bad token',
    headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Bearer' } } },
    ...json(ref('CompatAuthError'), { detail: { error: 'Unauthorized', message: 'Token has expired' } }),
  },
  403: { description: "The path's user is not the token's", ...json(ref('CompatAuthError'), { detail: { error: 'Forbidden', message: "The path's user id is not the token's user" } }) },
  404: { description: 'No such task (or another user’s)', ...json(ref('CompatDetailError'), { detail: { error: 'Task not found' } }) },
  413: { description: 'Body over the size limit', ...json(ref('CompatDetailError'), { detail: { error: 'Request body is too large' } }) },
  429: {
    description: 'Rate limit exceeded; retry after `Retry-After` seconds',
    headers: { 'Retry-After': { schema: { type: 'string' } } },
    ...json(ref('CompatDetailError'), { detail: { error: 'Rate limit exceeded' } }),
  },
  503: {
    description: 'The database is unreachable; retry after `Retry-After` seconds',
    headers: { 'Retry-After': { schema: { type: 'string' } } },
    ...json(ref('CompatDetailError'), { detail: { error: 'Service unavailable' } }),
  },
  422: {
    description: 'Body missing, malformed, a field of the wrong JSON type, or a priority, due date or tags out of their domain',
    ...json(ref('CompatValidationError'), { detail: [{ type: 'missing', loc: ['body', 'title'], msg: 'Field required' }] }),
  },
};

const userIdParam = {
  name: 'user_id',
  in: 'path',
  required: true,
  description: "The token's user id, percent-encoded (`auth0%7Cabc` is `auth0|abc`).",
  schema: { type: 'string' },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: MAX_TASK_ID } };

function operation(operationId: string, summary: string, parts: { body?: string; success: Record<string, unknown>; errors: (keyof typeof errors)[] }) {
  return {
    operationId,
    summary,
    tags: [COMPAT_TAG],
    security: [{ [SECURITY_SCHEME]: [] }],
    ...(parts.body ? { requestBody: { required: true, ...json(ref(parts.body)) } } : {}),
    // Any route can meet the size limit, the rate limit or a database outage.
    responses: {
      ...parts.success,
      ...Object.fromEntries([...parts.errors, 413, 429, 503].map((status) => [status, errors[status as keyof typeof errors]])),
    },
  };
}

const taskResponse = (status: number, description: string, example: object = exampleTask) => ({
  [status]: { description, ...json(ref('CompatTask'), example) },
});

/** Paths, tag and components to merge into the generated document (`paths` and `components.schemas` are disjoint from it). */
export function compatOpenApiFragment() {
  const itemErrors: (keyof typeof errors)[] = [400, 401, 403, 404];
  return {
    tags: [{ name: COMPAT_TAG, description: 'The original FastAPI system’s routes and wire format (snake_case, `status`, bare arrays, `{"detail": …}` errors).' }],
    paths: {
      '/api/{user_id}/tasks': {
        parameters: [userIdParam],
        get: {
          ...operation('compatListTasks', "List all the user's tasks (a bare array)", {
            success: { 200: { description: 'Every task, newest first unless `sort` says otherwise', ...json({ type: 'array', items: ref('CompatTask') }, [exampleTask]) } },
            errors: [400, 401, 403],
          }),
          parameters: [
            { name: 'status', in: 'query', required: false, schema: { type: 'string' }, description: '`complete`, `incomplete` (`completed`, `pending`), or `all`/empty for no filter; any case.' },
            { name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['', 'priority', 'due_date', '-due_date'] }, description: 'Omitted: newest first. `priority`: high, medium, low. `due_date`: soonest first; `-due_date`: latest first; a date-only due at the start of its day in the server’s time zone; tasks without a due date last in both. Ties: newest first, then highest id.' },
          ],
        },
        post: operation('compatCreateTask', 'Create a task', { body: 'CompatCreateTaskBody', success: taskResponse(201, 'Created'), errors: [400, 401, 403, 422] }),
      },
      '/api/{user_id}/tasks/{id}': {
        parameters: [userIdParam, idParam],
        get: operation('compatGetTask', 'Get a task', { success: taskResponse(200, 'The task'), errors: itemErrors }),
        put: operation('compatUpdateTask', 'Change some fields of a task (partial)', {
          body: 'CompatUpdateTaskBody',
          success: taskResponse(200, 'The changed task'),
          errors: [...itemErrors, 422],
        }),
        delete: operation('compatDeleteTask', 'Delete a task', { success: { 204: { description: 'Deleted; no body' } }, errors: itemErrors }),
      },
      '/api/{user_id}/tasks/{id}/complete': {
        parameters: [userIdParam, idParam],
        patch: operation('compatCompleteTask', 'Mark complete (sets, never toggles)', {
          success: taskResponse(200, 'The task, complete', { ...exampleTask, status: 'complete', completed: true, completed_at: '2026-11-24T10:20:00.000Z', updated_at: '2026-11-24T10:20:00.000Z' }),
          errors: itemErrors,
        }),
      },
      '/api/{user_id}/tasks/{id}/incomplete': {
        parameters: [userIdParam, idParam],
        patch: operation('compatReopenTask', 'Mark incomplete', { success: taskResponse(200, 'The task, incomplete'), errors: itemErrors }),
      },
      '/api/{user_id}/tasks/{id}/status': {
        parameters: [userIdParam, idParam],
        patch: operation('compatSetTaskStatus', 'Set the status the body names', {
          body: 'CompatStatusBody',
          success: taskResponse(200, 'The task'),
          errors: [...itemErrors, 422],
        }),
      },
    },
    components: {
      securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        CompatTask: jsonSchema(CompatTask),
        CompatCreateTaskBody: jsonSchema(CompatCreateTaskBody, 'input'),
        CompatUpdateTaskBody: jsonSchema(CompatUpdateTaskBody, 'input'),
        CompatStatusBody: jsonSchema(CompatStatusBody, 'input'),
        CompatDetailError: jsonSchema(DetailError),
        CompatAuthError: jsonSchema(AuthError),
        CompatValidationError: jsonSchema(ValidationError),
      },
    },
  };
}
