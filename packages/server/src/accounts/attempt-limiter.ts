// Sign-up and sign-in attempts counted per email and per address in fixed windows. With REDIS_URL
// the counters live in Redis, so every instance behind a load balancer draws on one budget; while
// Redis is unreachable (and without it) each instance counts in its own memory, so a Redis outage
// loosens the limit to one budget per instance instead of lifting it.
import { createHash } from 'node:crypto';
import type { Attempt, AttemptLimiter } from '@tasks/api';
import type { Redis } from 'ioredis';

export interface AttemptLimits {
  /** Attempts allowed per email per window; 0: no limit by email. */
  perEmail: number;
  /** Attempts allowed per client address per window; 0: no limit by address. */
  perIp: number;
  windowSeconds: number;
}

/** A counter's value after this attempt, and the milliseconds until its window closes. */
type Count = { count: number; ttlMs: number };

// INCR and the window's expiry in one step, so a counter can never be left without an expiry.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;

const KEY_PREFIX = 'tasks-api:auth-attempts:';

/** Emails and addresses are kept as digests: the counters hold no personal data in the clear. */
const counterKey = (kind: 'email' | 'ip', value: string) => `${kind}:${createHash('sha256').update(value).digest('base64url')}`;

class MemoryCounters {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  hit(key: string, windowMs: number): Count {
    const now = Date.now();
    if (this.counters.size > 50_000) for (const [k, c] of this.counters) if (c.resetAt <= now) this.counters.delete(k);
    let counter = this.counters.get(key);
    if (!counter || counter.resetAt <= now) {
      counter = { count: 0, resetAt: now + windowMs };
      this.counters.set(key, counter);
    }
    counter.count++;
    return { count: counter.count, ttlMs: counter.resetAt - now };
  }
}

export function createAttemptLimiter(limits: AttemptLimits, redis?: Redis): AttemptLimiter {
  const windowMs = limits.windowSeconds * 1000;
  const memory = new MemoryCounters();

  async function hit(key: string): Promise<Count> {
    if (redis && redis.status === 'ready') {
      try {
        const [count, ttlMs] = (await redis.eval(HIT_SCRIPT, 1, KEY_PREFIX + key, windowMs)) as [number, number];
        return { count, ttlMs: ttlMs > 0 ? ttlMs : windowMs };
      } catch {
        // Counted here instead (the connection's own listener reports the outage once).
      }
    }
    return memory.hit(key, windowMs);
  }

  return {
    async hit(attempt: Attempt) {
      const checks: Array<[string, number]> = [];
      if (limits.perEmail > 0) checks.push([counterKey('email', attempt.email), limits.perEmail]);
      if (limits.perIp > 0 && attempt.ip) checks.push([counterKey('ip', attempt.ip), limits.perIp]);
      const counts = await Promise.all(checks.map(([key]) => hit(key)));
      const waits = counts.filter((c, i) => c.count > checks[i]![1]).map((c) => Math.max(1, Math.ceil(c.ttlMs / 1000)));
      return waits.length ? Math.max(...waits) : undefined;
    },
  };
}
