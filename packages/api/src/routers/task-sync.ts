// tasks.changes and tasks.onChange: the feed and its live form (task-sync.ts), spread into the tasks router.
import { tracked } from '@trpc/server';
import { TaskChangesInput, TaskChangesPage, TaskEventsInput } from '../sync-schemas.ts';
import { DEFAULT_SYNC, readChangesPage, streamStart, streamTaskChanges } from '../task-sync.ts';
import { authedProcedure } from '../trpc.ts';
import { answers } from '../output-contract.ts';

export const taskSyncProcedures = {
  /** Every change of the caller's tasks after `since`, in commit order; no `since`: a full sync. */
  changes: authedProcedure
    .input(TaskChangesInput)
    .query(answers(TaskChangesPage, ({ ctx, input }) => readChangesPage(ctx.db, ctx.userId, ctx.sync ?? DEFAULT_SYNC, input.since, input.limit))),

  /** The caller's changes as they commit, over SSE; event ids are sync tokens, so `lastEventId` resumes without a gap. */
  onChange: authedProcedure.input(TaskEventsInput).subscription(async ({ ctx, input, signal }) => {
    const sync = ctx.sync ?? DEFAULT_SYNC;
    // Resolved before tRPC answers the stream, so a change made after `onStarted` is in it.
    const from = await streamStart(ctx.db, input?.lastEventId, sync);
    const events = streamTaskChanges({ db: ctx.db, userId: ctx.userId, sync, from, signal });
    return (async function* () {
      for await (const event of events) yield tracked(event.token, event.change);
    })();
  }),
};
