import type { StatementObserver } from '@tasks/db';

/** One observer for the statement hook out of several (outage log, metrics, tracing). */
export function combineObservers(observers: ReadonlyArray<StatementObserver | undefined>): StatementObserver | undefined {
  const present = observers.filter((o): o is StatementObserver => o !== undefined);
  if (present.length <= 1) return present[0];
  return {
    start(name, operation) {
      const settles = present.map((o) => o.start(name, operation));
      return (error) => {
        for (const settle of settles) settle(error);
      };
    },
    connectFailed(error) {
      for (const o of present) o.connectFailed?.(error);
    },
  };
}
