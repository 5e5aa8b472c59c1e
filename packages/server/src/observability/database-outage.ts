// A database outage in the log as two lines: one when statements start failing for want of the
// database, one when a statement succeeds again, with how many requests were answered 503 meanwhile.
// Never the driver's error objects per failure (a pg error carries its client: kilobytes a line).
import { ServiceUnavailable, toClientError } from '@tasks/api';
import type { StatementObserver } from '@tasks/db';
import type { FastifyBaseLogger } from 'fastify';

export class DatabaseOutage implements StatementObserver {
  log: FastifyBaseLogger | undefined;
  #since: number | undefined;
  #failedRequests = 0;
  #failedStatements = 0;
  // One function for every statement: watching for outages costs no allocation per statement.
  readonly #settled = (error: unknown): void => {
    if (error === undefined) this.#recovered();
    else this.failed(error);
  };

  get active(): boolean {
    return this.#since !== undefined;
  }

  start(): (error: unknown) => void {
    return this.#settled;
  }

  connectFailed(error: unknown): void {
    this.failed(error);
  }

  /** A database error of any kind; only one that means "unreachable" starts or extends an outage (true). */
  failed(error: unknown): boolean {
    if (!(toClientError(error) instanceof ServiceUnavailable)) return false;
    this.#failedStatements++;
    if (this.#since !== undefined) return true;
    this.#since = Date.now();
    this.log?.warn({ reason: error instanceof Error ? error.message : String(error) }, 'database unreachable: answering 503 until it is back');
    return true;
  }

  /** A response went out 503 (counted only while an outage is on). */
  countFailedRequest(): void {
    if (this.#since !== undefined) this.#failedRequests++;
  }

  #recovered(): void {
    if (this.#since === undefined) return;
    this.log?.info(
      { failedRequests: this.#failedRequests, failedStatements: this.#failedStatements, seconds: Math.round((Date.now() - this.#since) / 100) / 10 },
      'database reachable again',
    );
    this.#since = undefined;
    this.#failedRequests = 0;
    this.#failedStatements = 0;
  }
}
