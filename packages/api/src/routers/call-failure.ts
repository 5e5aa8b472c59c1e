// For the procedure tests: the TRPCError a call failed with (anything else is rethrown).
import { TRPCError } from '@trpc/server';

export async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
