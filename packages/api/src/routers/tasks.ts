// Task procedures: validation through the shared schemas, SQL through @tasks/db, nothing else.
import * as queries from '@tasks/db';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { TaskNotFound } from '../errors.ts';
import { planList } from '../list-query.ts';
import {
  CompleteTaskInput,
  CreateTaskInput,
  DeleteTaskResult,
  ListTasksInput,
  Task,
  TaskIdInput,
  TaskPage,
  TaskStats,
  TaskStatsInput,
  UpdateTaskInput,
} from '../schemas.ts';
import { authedProcedure, router } from '../trpc.ts';

function found<T>(task: T | undefined): T {
  if (!task) throw new TaskNotFound();
  return task;
}

// `openapi` meta: the REST routes trpc-to-openapi serves under /api (apps/server/src/rest adds the
// prefix, PUT as an alias of PATCH, and the 201/204 statuses).
export const tasksRouter = router({
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/tasks', tags: ['tasks'], operationId: 'listTasks', summary: 'List tasks, newest first' } })
    .input(ListTasksInput)
    .output(TaskPage)
    .query(async ({ ctx, input }) => {
      const { query, fingerprint } = planList(input);
      const rows = await queries.listTasks(ctx.db, ctx.userId, {
        ...query,
        limit: input.limit + 1,
        after: input.cursor ? decodeCursor(input.cursor, query.sort, fingerprint) : undefined,
      });
      const items = rows.slice(0, input.limit).map(({ rank: _rank, ...task }) => task);
      const last = rows.length > input.limit ? rows[input.limit - 1] : undefined;
      const nextCursor = last ? encodeCursor({ key: queries.sortValueOf(last, query.sort), id: last.id }, fingerprint) : null;
      return { items, nextCursor };
    }),

  /** Counts for the caller; `timeZone` decides what "today" is for dueToday. */
  stats: authedProcedure
    .meta({
      openapi: { method: 'GET', path: '/tasks/stats', tags: ['tasks'], operationId: 'getTaskStats', summary: 'Count tasks by state, priority and due date' },
    })
    .input(TaskStatsInput)
    .output(TaskStats)
    .query(({ ctx, input }) => queries.taskStats(ctx.db, ctx.userId, input.timeZone)),

  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/tasks/{id}', tags: ['tasks'], operationId: 'getTask', summary: 'Get a task' } })
    .input(TaskIdInput)
    .output(Task)
    .query(async ({ ctx, input }) => found(await queries.getTask(ctx.db, ctx.userId, input.id))),

  create: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/tasks', tags: ['tasks'], operationId: 'createTask', summary: 'Create a task' } })
    .input(CreateTaskInput)
    .output(Task)
    .mutation(({ ctx, input }) => queries.createTask(ctx.db, ctx.userId, input)),

  update: authedProcedure
    .meta({
      openapi: { method: 'PATCH', path: '/tasks/{id}', tags: ['tasks'], operationId: 'updateTask', summary: 'Change some fields of a task' },
    })
    .input(UpdateTaskInput)
    .output(Task)
    .mutation(async ({ ctx, input: { id, ...changes } }) => found(await queries.updateTask(ctx.db, ctx.userId, id, changes))),

  /** Sets (never toggles) the completion state, so a retried call is harmless. */
  complete: authedProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/tasks/{id}/complete',
        tags: ['tasks'],
        operationId: 'completeTask',
        summary: 'Mark a task completed (or reopen it with completed: false)',
      },
    })
    .input(CompleteTaskInput)
    .output(Task)
    .mutation(async ({ ctx, input }) =>
      found(await queries.updateTask(ctx.db, ctx.userId, input.id, { completed: input.completed })),
    ),

  delete: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/tasks/{id}', tags: ['tasks'], operationId: 'deleteTask', summary: 'Delete a task' } })
    .input(TaskIdInput)
    .output(DeleteTaskResult)
    .mutation(async ({ ctx, input }) => {
      if (!(await queries.deleteTask(ctx.db, ctx.userId, input.id))) throw new TaskNotFound();
      return { id: input.id, deleted: true as const };
    }),
});
