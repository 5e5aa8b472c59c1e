// A seam for metrics and tracing to watch every statement the database runs, on both drivers, at the
// cost of one property read per statement while nothing watches.
export interface StatementObserver {
  /**
   * Called as a statement is sent, in the caller's async context (so a span started here has the
   * request's span as parent); the returned function is called once it settles, with its error or
   * undefined. `name` is the prepared statement's name (or `unnamed`), `operation` its first SQL
   * keyword; never parameter values.
   */
  start(name: string, operation: string): (error: unknown) => void;
  /** A pooled connection could not be opened (PostgreSQL unreachable): no statement was sent. */
  connectFailed?(error: unknown): void;
}

/** Shared by every connection of one database handle; set `observer` to start watching. */
export interface StatementHook {
  observer: StatementObserver | undefined;
}

/** `select`, `insert`, `with`, `begin`…: bounded, and says what a statement does without its text. */
export function sqlOperation(text: string): string {
  let operation = operations.get(text);
  if (operation === undefined) {
    const match = /^\s*([a-z]+)/i.exec(text);
    operation = match ? match[1]!.toLowerCase() : 'unknown';
    // The same few statement texts come back on every request (the outage watch sees all of them).
    if (operations.size < MAX_CACHED_OPERATIONS) operations.set(text, operation);
  }
  return operation;
}

const MAX_CACHED_OPERATIONS = 500;
const operations = new Map<string, string>();
