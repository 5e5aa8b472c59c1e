// The REST route table: every route /api/tasks… serves, with its method, path, success status, input
// and output schemas and the procedure it calls. The handlers (rest-api.ts), the 405/OPTIONS answers
// (route-matching.ts) and the OpenAPI document (openapi-document.ts) all read this one table, and the
// compiler checks each entry against its procedure: a schema that is not the procedure's own input or
// output, or a call to the wrong procedure, does not compile.
import {
  AccountSession,
  BatchInput,
  BatchResult,
  CompleteTaskInput,
  CreateTaskInput,
  createCaller,
  DeleteTaskInput,
  DeleteTaskResult,
  ListTasksInput,
  SignInInput,
  SignUpInput,
  Task,
  TaskIdInput,
  TaskPage,
  TaskStats,
  TaskStatsInput,
  TaskChangesInput,
  TaskChangesPage,
  UpdateTaskInput,
} from '@tasks/api';
import type { z } from 'zod';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The REST surface's prefix; the table's paths are relative to it. */
export const REST_BASE_PATH = '/api';

export type Caller = ReturnType<typeof createCaller>;

/** One route, as its readers see it (the checked entry, with the schema types erased). */
export interface RestRoute {
  method: RestMethod;
  /** Relative to REST_BASE_PATH, with `{param}` placeholders. */
  path: `/${string}`;
  /** The placeholders of `path`, in order. */
  pathParams: string[];
  operationId: string;
  summary: string;
  /** 200, 201 (with a Location header when `hasLocation`) or 204 (no body). */
  successStatus: 200 | 201 | 204;
  hasLocation: boolean;
  /** The document's tag: `tasks`, or `auth` for the account routes. */
  tag: 'tasks' | 'auth';
  /** `public`: callable without a bearer token (the account routes). */
  access: 'bearer' | 'public';
  /** Statuses this route answers beyond every route's, or what a shared one means here (the document's words). */
  errors?: Record<number, RouteError>;
  input: z.ZodType;
  output: z.ZodType;
  /** The procedure's name, for logs: `tasks.update`. */
  procedure: string;
  /**
   * `etag`: answers the task's ETag (and a GET, 304 to a matching If-None-Match); `ifMatch`: a write
   * of one task that takes If-Match (412 when stale, 428 without it under REQUIRE_IF_MATCH);
   * `idempotent`: takes an Idempotency-Key.
   */
  etag: boolean;
  ifMatch: boolean;
  idempotent: boolean;
  /**
   * Calls the procedure with the input as the request carried it (the procedure parses it); resolves
   * to the result and, for a 201, where the created resource lives.
   */
  run(caller: Caller, input: unknown): Promise<{ result: unknown; location?: string }>;
}

// The same type, not merely assignable both ways: `{ id }` and `{ id, title? }` are assignable to each
// other, and complete's input must not pass for update's.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// tRPC types an input that may be left out (one with a default) as `void | T | undefined`.
type ProcedureInput<P> = P extends (input: infer I) => unknown ? Exclude<I, void | undefined> : never;
type ProcedureOutput<P> = P extends (input: never) => Promise<infer O> ? O : never;

/** An error a route answers, as the document describes it, with the message of its example. */
export interface RouteError {
  /** Absent: the shared description of the status. */
  description?: string;
  message: string;
}

/** An entry of the table, as written. */
interface RestRouteSpec<I extends z.ZodType, O extends z.ZodType, P> {
  method: RestMethod;
  path: `/${string}`;
  operationId: string;
  summary: string;
  successStatus: 200 | 201 | 204;
  tag?: RestRoute['tag'];
  access?: RestRoute['access'];
  errors?: Record<number, RouteError>;
  etag?: boolean;
  ifMatch?: boolean;
  idempotent?: boolean;
  input: I;
  output: O;
  procedure: (caller: Caller) => P;
  location?: (result: z.output<O>) => string;
}

// A schema other than the procedure's own would describe and decode the wrong fields.
type Checked<I extends z.ZodType, O extends z.ZodType, P> =
  Same<ProcedureInput<P>, Exclude<z.input<I>, undefined>> extends true
    ? Same<ProcedureOutput<P>, z.output<O>> extends true
      ? unknown
      : { output: 'is not the output schema of the procedure' }
    : { input: 'is not the input schema of the procedure' };

/** The name of the procedure a selector reaches (`tasks.update`), read by running it on a recorder. */
function procedureName(select: (caller: Caller) => unknown): string {
  const path: string[] = [];
  const recorder: object = new Proxy({}, { get: (_target, key) => (path.push(String(key)), recorder) });
  select(recorder as Caller);
  return path.join('.');
}

export function restRoute<I extends z.ZodType, O extends z.ZodType, P extends (input: z.input<I>) => Promise<z.output<O>>>(
  spec: RestRouteSpec<I, O, P> & Checked<I, O, P>,
): RestRoute {
  const { procedure, location, ...route } = spec;
  return {
    tag: 'tasks',
    access: 'bearer',
    etag: false,
    ifMatch: false,
    idempotent: false,
    ...route,
    hasLocation: location !== undefined,
    pathParams: [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
    procedure: procedureName(procedure),
    async run(caller, input) {
      // Unparsed on purpose: the procedure validates it, with the same messages as on /trpc.
      const result = await procedure(caller)(input as z.input<I>);
      return location ? { result, location: location(result) } : { result };
    },
  };
}

/** What the account routes answer beyond every route's errors, or in their own words. */
const ACCOUNT_ERRORS: Record<number, RouteError> = {
  400: { message: 'password: Password must be at least 8 characters' },
  404: { description: 'This server keeps no accounts (AUTH_ACCOUNTS=false, or they are managed by its identity provider)', message: 'Accounts are not served by this server' },
  429: { description: 'Too many attempts for this email or from this address (with `Retry-After`)', message: 'Too many sign-in attempts; retry in 900 seconds' },
};

const IF_MATCH_ERRORS: Record<number, RouteError> = {
  412: { description: 'If-Match names no current version of the task; the body carries the task as it is now (`current`) and the ETag header its tag', message: 'If-Match does not match the current version of the task' },
  428: { description: 'REQUIRE_IF_MATCH is on and the request has no If-Match', message: 'This server requires If-Match on writes: send the ETag of the task you read' },
};
const IDEMPOTENCY_ERRORS: Record<number, RouteError> = {
  409: { description: 'A request with this Idempotency-Key is still in progress (retry shortly), or the change conflicts', message: 'A request with this Idempotency-Key is still in progress; retry shortly' },
  422: { description: 'This Idempotency-Key was used for a different request', message: 'This Idempotency-Key was used for a different request: use a new key for a new request' },
};
const conditionalWrite = { etag: true, ifMatch: true, idempotent: true, errors: { ...IF_MATCH_ERRORS, ...IDEMPOTENCY_ERRORS } } as const;

// `update` answers both PATCH and PUT: the original system's PUT is partial (SEED-CONTRACT.md).
const update = {
  path: '/tasks/{id}',
  successStatus: 200,
  input: UpdateTaskInput,
  output: Task,
  procedure: (caller: Caller) => caller.tasks.update,
  ...conditionalWrite,
} as const;

/** In the order `Allow` lists methods; matching puts literal paths before templates itself (route-matching.ts). */
export const restRoutes: readonly RestRoute[] = [
  restRoute({
    method: 'GET',
    path: '/tasks',
    operationId: 'listTasks',
    summary: 'List tasks, newest first',
    successStatus: 200,
    input: ListTasksInput,
    output: TaskPage,
    procedure: (caller) => caller.tasks.list,
  }),
  restRoute({
    method: 'GET',
    path: '/tasks/stats',
    operationId: 'getTaskStats',
    summary: 'Count tasks by state, priority and due date',
    successStatus: 200,
    input: TaskStatsInput,
    output: TaskStats,
    procedure: (caller) => caller.tasks.stats,
  }),
  restRoute({
    method: 'GET',
    path: '/tasks/changes',
    operationId: 'listTaskChanges',
    summary: 'Changes since a sync token (tasks in full, tombstones for deleted ones); no token: a full sync',
    successStatus: 200,
    errors: { 410: { description: 'The token is older than the retention of changes: resync without one', message: 'Sync token expired (changes are kept 30 days): resync by calling again without a token' } },
    input: TaskChangesInput,
    output: TaskChangesPage,
    procedure: (caller) => caller.tasks.changes,
  }),
  restRoute({
    method: 'GET',
    path: '/tasks/{id}',
    operationId: 'getTask',
    summary: 'Get a task',
    successStatus: 200,
    input: TaskIdInput,
    output: Task,
    procedure: (caller) => caller.tasks.get,
    etag: true,
  }),
  restRoute({
    method: 'POST',
    path: '/tasks',
    operationId: 'createTask',
    summary: 'Create a task',
    successStatus: 201,
    input: CreateTaskInput,
    output: Task,
    procedure: (caller) => caller.tasks.create,
    location: (task) => `${REST_BASE_PATH}/tasks/${task.id}`,
    etag: true,
    idempotent: true,
    errors: IDEMPOTENCY_ERRORS,
  }),
  restRoute({
    method: 'POST',
    path: '/tasks/batch',
    operationId: 'batchTasks',
    summary: 'Apply up to 100 creates, updates, completions and deletes in one transaction, all or nothing',
    successStatus: 200,
    input: BatchInput,
    output: BatchResult,
    procedure: (caller) => caller.tasks.batch,
    idempotent: true,
    errors: {
      400: { description: 'Invalid input, or an operation refers to a tempId no earlier operation created (`operation` is its index)', message: 'operations.3.task.title: Title is required' },
      404: { description: 'An operation names no task of this user (`operation` is its index); nothing was applied', message: 'operations[2]: Task not found' },
      ...IDEMPOTENCY_ERRORS,
    },
  }),
  restRoute({ ...update, method: 'PATCH', operationId: 'updateTask', summary: 'Change some fields of a task' }),
  restRoute({ ...update, method: 'PUT', operationId: 'replaceTask', summary: 'Change fields of a task (same as PATCH)' }),
  restRoute({
    method: 'PATCH',
    path: '/tasks/{id}/complete',
    operationId: 'completeTask',
    summary: 'Mark a task completed (or reopen it with completed: false)',
    successStatus: 200,
    input: CompleteTaskInput,
    output: Task,
    procedure: (caller) => caller.tasks.complete,
    ...conditionalWrite,
  }),
  restRoute({
    method: 'DELETE',
    path: '/tasks/{id}',
    operationId: 'deleteTask',
    summary: 'Delete a task',
    successStatus: 204,
    input: DeleteTaskInput,
    output: DeleteTaskResult,
    procedure: (caller) => caller.tasks.delete,
    ...conditionalWrite,
    etag: false,
  }),
  restRoute({
    method: 'POST',
    path: '/auth/signup',
    operationId: 'signUp',
    summary: 'Create an account; answers it with a bearer token for every route',
    successStatus: 201,
    tag: 'auth',
    access: 'public',
    errors: { ...ACCOUNT_ERRORS, 409: { description: 'An account has this email already (emails compare case-insensitively)', message: 'Email already registered' } },
    input: SignUpInput,
    output: AccountSession,
    procedure: (caller) => caller.auth.signUp,
  }),
  restRoute({
    method: 'POST',
    path: '/auth/signin',
    operationId: 'signIn',
    summary: 'Sign in with an email and a password; answers a bearer token for every route',
    successStatus: 200,
    tag: 'auth',
    access: 'public',
    errors: { ...ACCOUNT_ERRORS, 401: { description: 'Unknown email or wrong password (one answer for both)', message: 'Invalid email or password' } },
    input: SignInInput,
    output: AccountSession,
    procedure: (caller) => caller.auth.signIn,
  }),
];
