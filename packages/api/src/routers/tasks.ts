// Task procedures: validation through the shared schemas, SQL through @tasks/db, nothing else.
import * as queries from '@tasks/db';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { TaskNotFound } from '../errors.ts';
import { planList } from '../list-query.ts';
import {
  CompleteTaskInput,
  CreateTaskInput,
  DeleteTaskInput,
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
import { answers } from '../output-contract.ts';
import { expectedVersions, guardedWrite, missedWrite } from '../write-guards.ts';
import { batchProcedure } from './tasks-batch.ts';
import { taskSyncProcedures } from './task-sync.ts';

function found<T>(task: T | undefined): T {
  if (!task) throw new TaskNotFound();
  return task;
}

export const tasksRouter = router({
  list: authedProcedure
    .input(ListTasksInput)
    .query(answers(TaskPage, async ({ ctx, input }) => {
      const { query, fingerprint } = planList(input);
      const rows = await queries.listTasks(ctx.db, ctx.userId, {
        ...query,
        now: ctx.clock?.(),
        limit: input.limit + 1,
        after: input.cursor ? decodeCursor(input.cursor, query, fingerprint) : undefined,
      });
      const page = rows.slice(0, input.limit);
      // Only a ranked or a due-ordered page carries its sort key beside the task's fields.
      const items = query.sort === 'rank' || query.sort === 'dueAt' ? page.map(({ rank: _rank, dueKey: _dueKey, ...task }) => task) : page;
      const last = rows.length > input.limit ? rows[input.limit - 1] : undefined;
      const nextCursor = last ? encodeCursor(queries.positionAfter(last, query), fingerprint) : null;
      return { items, nextCursor };
    })),

  /** Counts for the caller; `timeZone` decides what "today" is for dueToday and date-only dues. */
  stats: authedProcedure
    .input(TaskStatsInput)
    .query(answers(TaskStats, ({ ctx, input }) => queries.taskStats(ctx.db, ctx.userId, input.timeZone, ctx.clock?.()))),

  get: authedProcedure
    .input(TaskIdInput)
    .query(answers(Task, async ({ ctx, input }) => found(await queries.getTask(ctx.db, ctx.userId, input.id)))),

  create: authedProcedure
    .input(CreateTaskInput)
    .mutation(answers(Task, ({ ctx, input }) => guardedWrite(ctx, 'tasks.create', input, (db) => queries.createTask(db, ctx.userId, input)))),

  update: authedProcedure
    .input(UpdateTaskInput)
    .mutation(answers(Task, ({ ctx, input }) => {
      const { id, expectedVersion, ...changes } = input;
      const expected = expectedVersions(ctx, expectedVersion);
      return guardedWrite(ctx, 'tasks.update', input, async (db) =>
        (await queries.updateTask(db, ctx.userId, id, changes, expected?.versions)) ?? missedWrite(db, ctx.userId, id, expected),
      );
    })),

  /** Sets (never toggles) the completion state, so a retried call is harmless. */
  complete: authedProcedure
    .input(CompleteTaskInput)
    .mutation(answers(Task, ({ ctx, input }) => {
      const expected = expectedVersions(ctx, input.expectedVersion);
      return guardedWrite(ctx, 'tasks.complete', input, async (db) =>
        (await queries.updateTask(db, ctx.userId, input.id, { completed: input.completed }, expected?.versions)) ??
        missedWrite(db, ctx.userId, input.id, expected),
      );
    })),

  delete: authedProcedure
    .input(DeleteTaskInput)
    .mutation(answers(DeleteTaskResult, ({ ctx, input }) => {
      const expected = expectedVersions(ctx, input.expectedVersion);
      return guardedWrite(ctx, 'tasks.delete', input, async (db) => {
        if (!(await queries.deleteTask(db, ctx.userId, input.id, expected?.versions))) await missedWrite(db, ctx.userId, input.id, expected);
        return { id: input.id, deleted: true as const };
      });
    })),

  batch: batchProcedure,
  ...taskSyncProcedures,
});
