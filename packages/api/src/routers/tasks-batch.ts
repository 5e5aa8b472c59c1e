// `tasks.batch`: the operations in order, in one transaction; the first that fails rolls back the
// others and is reported with its index and its own error (what it would have answered alone).
import * as queries from '@tasks/db';
import { TRPCError } from '@trpc/server';
import { BatchInput, BatchResult, type BatchOperation } from '../batch-schemas.ts';
import { BatchOperationFailed, toClientError } from '../errors.ts';
import { authedProcedure } from '../trpc.ts';
import { answers } from '../output-contract.ts';
import { guardedWrite, missedWrite } from '../write-guards.ts';

type Result = BatchResult['results'][number];

function resolveTarget(op: { id?: number | undefined; tempId?: string | undefined }, tempIds: Map<string, number>): number {
  if (op.id !== undefined) return op.id;
  const id = tempIds.get(op.tempId ?? '');
  if (id === undefined) throw new TRPCError({ code: 'BAD_REQUEST', message: `tempId "${op.tempId}" is not created by an earlier operation of this batch` });
  return id;
}

async function apply(db: queries.Db, userId: string, op: BatchOperation, tempIds: Map<string, number>): Promise<Result> {
  const named = op.tempId === undefined ? {} : { tempId: op.tempId };
  if (op.op === 'create') {
    if (op.tempId !== undefined && tempIds.has(op.tempId)) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `tempId "${op.tempId}" is already used in this batch` });
    }
    const task = await queries.createTask(db, userId, op.task);
    if (op.tempId !== undefined) tempIds.set(op.tempId, task.id);
    return { op: 'create', ...named, id: task.id, task };
  }
  const id = resolveTarget(op, tempIds);
  const expected = op.expectedVersion === undefined ? undefined : { versions: [op.expectedVersion], code: 'CONFLICT' as const };
  if (op.op === 'delete') {
    if (!(await queries.deleteTask(db, userId, id, expected?.versions))) await missedWrite(db, userId, id, expected);
    return { op: 'delete', ...named, id };
  }
  const changes = op.op === 'update' ? op.changes : { completed: op.completed };
  const task = (await queries.updateTask(db, userId, id, changes, expected?.versions)) ?? (await missedWrite(db, userId, id, expected));
  return { op: op.op, ...named, id, task };
}

export const batchProcedure = authedProcedure
  .input(BatchInput)
  .mutation(answers(BatchResult, ({ ctx, input }) =>
    guardedWrite(
      ctx,
      'tasks.batch',
      input,
      async (db) => {
        const tempIds = new Map<string, number>();
        const results: Result[] = [];
        for (const [index, op] of input.operations.entries()) {
          try {
            results.push(await apply(db, ctx.userId, op, tempIds));
          } catch (error) {
            throw new BatchOperationFailed(index, toClientError(error));
          }
        }
        return { results };
      },
      { transaction: true },
    ),
  ));
