// This instance's open event streams: the limits on how many, and waking the ones of a user whose
// tasks changed. A wake-up is a flag, not a queue: a stream that is busy or slow reads the feed
// once when it next waits, so nothing accumulates per event.
import { RateLimited, ServiceUnavailable } from './errors.ts';

export interface ChangeStreamLimits {
  perUser: number;
  perInstance: number;
}

/** A seat of one open stream; `release` it when the stream ends. */
export interface StreamLease {
  readonly userId: string;
  /**
   * Resolves true when the stream should read the feed again (a change was announced, or
   * `timeoutMs` passed), false when it should end (aborted, or the instance is closing).
   */
  wait(signal: AbortSignal | undefined, timeoutMs?: number): Promise<boolean>;
  release(): void;
  /** True once the instance started closing: the stream should end so its client reconnects elsewhere. */
  readonly closing: boolean;
}

class Lease implements StreamLease {
  changed = true;
  #wake: ((again: boolean) => void) | undefined;
  #released = false;
  readonly userId: string;
  private readonly streams: ChangeStreams;
  constructor(userId: string, streams: ChangeStreams) {
    this.userId = userId;
    this.streams = streams;
  }

  get closing(): boolean {
    return this.streams.closing;
  }

  wake(again: boolean): void {
    if (again) this.changed = true;
    this.#wake?.(again);
  }

  wait(signal: AbortSignal | undefined, timeoutMs?: number): Promise<boolean> {
    if (this.streams.closing || signal?.aborted) return Promise.resolve(false);
    if (this.changed) {
      this.changed = false;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const done = (again: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        if (again) this.changed = false;
        resolve(again);
      };
      const onAbort = () => done(false);
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(true), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#wake = done;
    });
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.streams.forget(this);
  }
}

export class ChangeStreams {
  readonly #byUser = new Map<string, Set<Lease>>();
  #open = 0;
  #closing = false;

  readonly limits: ChangeStreamLimits;
  constructor(limits: ChangeStreamLimits) {
    this.limits = limits;
  }

  /** Streams open on this instance now (for /metrics). */
  get open(): number {
    return this.#open;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** Users with open streams, and how many each (for diagnostics). */
  users(): Record<string, number> {
    return Object.fromEntries([...this.#byUser].map(([user, leases]) => [user, leases.size]));
  }

  /** Takes a seat for a new stream of the user, or throws the 429 that says which limit is full. */
  acquire(userId: string): StreamLease {
    if (this.#closing) throw new ServiceUnavailable('This instance is shutting down; reconnect', undefined, 1);
    const mine = this.#byUser.get(userId) ?? new Set<Lease>();
    if (mine.size >= this.limits.perUser) {
      throw new RateLimited(`Too many open event streams for this user (at most ${this.limits.perUser}); close one first`, 5);
    }
    if (this.#open >= this.limits.perInstance) {
      throw new RateLimited(`Too many open event streams on this server (at most ${this.limits.perInstance}); retry shortly`, 5);
    }
    const lease = new Lease(userId, this);
    mine.add(lease);
    this.#byUser.set(userId, mine);
    this.#open++;
    return lease;
  }

  /** A change of the user's tasks was committed; null: of any user's (after a gap in notifications). */
  wake(userId: string | null): void {
    if (userId === null) {
      for (const leases of this.#byUser.values()) for (const lease of leases) lease.wake(true);
      return;
    }
    for (const lease of this.#byUser.get(userId) ?? []) lease.wake(true);
  }

  /** Ends every stream (shutdown) and refuses new ones. */
  close(): void {
    this.#closing = true;
    for (const leases of this.#byUser.values()) for (const lease of leases) lease.wake(false);
  }

  /** @internal */
  forget(lease: Lease): void {
    const mine = this.#byUser.get(lease.userId);
    if (!mine?.delete(lease)) return;
    this.#open--;
    if (mine.size === 0) this.#byUser.delete(lease.userId);
  }
}
