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
import { taskSyncProcedures } from './task-sync.ts';

function found<T>(task: T | undefined): T {
  if (!task) throw new TaskNotFound();
  return task;
}

export const tasksRouter = router({
  list: authedProcedure
    .input(ListTasksInput)
    .output(TaskPage)
    .query(async ({ ctx, input }) => {
      const { query, fingerprint } = planList(input);
      const rows = await queries.listTasks(ctx.db, ctx.userId, {
        ...query,
        limit: input.limit + 1,
        after: input.cursor ? decodeCursor(input.cursor, query, fingerprint) : undefined,
      });
      const items = rows.slice(0, input.limit).map(({ rank: _rank, ...task }) => task);
      const last = rows.length > input.limit ? rows[input.limit - 1] : undefined;
      const nextCursor = last ? encodeCursor(queries.positionAfter(last, query), fingerprint) : null;
      return { items, nextCursor };
    }),

  /** Counts for the caller; `timeZone` decides what "today" is for dueToday. */
  stats: authedProcedure
    .input(TaskStatsInput)
    .output(TaskStats)
    .query(({ ctx, input }) => queries.taskStats(ctx.db, ctx.userId, input.timeZone)),

  get: authedProcedure
    .input(TaskIdInput)
    .output(Task)
    .query(async ({ ctx, input }) => found(await queries.getTask(ctx.db, ctx.userId, input.id))),

  create: authedProcedure
    .input(CreateTaskInput)
    .output(Task)
    .mutation(({ ctx, input }) => queries.createTask(ctx.db, ctx.userId, input)),

  update: authedProcedure
    .input(UpdateTaskInput)
    .output(Task)
    .mutation(async ({ ctx, input: { id, ...changes } }) => found(await queries.updateTask(ctx.db, ctx.userId, id, changes))),

  /** Sets (never toggles) the completion state, so a retried call is harmless. */
  complete: authedProcedure
    .input(CompleteTaskInput)
    .output(Task)
    .mutation(async ({ ctx, input }) =>
      found(await queries.updateTask(ctx.db, ctx.userId, input.id, { completed: input.completed })),
    ),

  delete: authedProcedure
    .input(TaskIdInput)
    .output(DeleteTaskResult)
    .mutation(async ({ ctx, input }) => {
      if (!(await queries.deleteTask(ctx.db, ctx.userId, input.id))) throw new TaskNotFound();
      return { id: input.id, deleted: true as const };
    }),

  ...taskSyncProcedures,
});
