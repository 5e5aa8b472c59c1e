// The instance's side of the changes feed: its stream registry (limits, and the open-streams count
// for /metrics), the LISTEN connection that wakes streams when another instance commits, the purge
// of changes past the retention, and ending every stream when the server closes. Task writes notify
// only while some instance is in `change_listeners` (migration 0009): this instance is there from
// its first stream until a heartbeat has twice found none open.
import { ChangeStreams, type SyncSettings } from '@tasks/api';
import {
  listenForTaskChanges,
  purgeTaskChanges,
  refreshListeningInstance,
  registerListeningInstance,
  stillOpen,
  unregisterListeningInstance,
  type ChangeListener,
  type DbHandle,
} from '@tasks/db';
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { isQueryTokenPath } from '../plugins/authentication.ts';
import type { Config } from '../config.ts';

const PURGE_EVERY_MS = 3_600_000;
const PURGE_BATCH = 1_000;
const PURGE_BATCHES_PER_RUN = 20;
// Tokens are refused at the retention; rows go a day later, so a token just inside it never
// continues past a change its transaction wrote before the token's time.
const PURGE_MARGIN_MS = 86_400_000;
// Well inside the row's lifetime (LISTENER_TTL_SECONDS, 90 s), so two missed beats keep it alive.
const LISTENER_BEAT_MS = 30_000;
// How long a stream's start waits for writers that may have checked `change_listeners` before this
// instance was in it; past it they are waited for in the background.
const REGISTER_WAIT_MS = 1_000;

export interface LiveEvents {
  streams: ChangeStreams;
  sync: SyncSettings;
  /** Deletes changes past the retention, in bounded batches; resolves to how many. */
  purge(): Promise<number>;
  /** Resolves once the listener's first LISTEN is in place (after the server is ready). */
  listening(): Promise<void>;
  /** True while this instance is in `change_listeners` (task writes notify it). */
  readonly announced: boolean;
  /**
   * The registration's heartbeat (also run every 30 s): extends this instance's row, or takes it out
   * on the second beat in a row that finds no stream open and none announced since the beat before.
   */
  beat(): Promise<void>;
}

export function setUpLiveEvents(app: FastifyInstance, db: DbHandle, config: Config, now: () => number = Date.now): LiveEvents {
  const { events } = config;
  const streams = new ChangeStreams({ perUser: events.maxStreamsPerUser, perInstance: events.maxStreams });
  const instanceId = randomUUID();
  let listener: ChangeListener | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  let beatTimer: NodeJS.Timeout | undefined;
  // Registration, heartbeat and removal run one at a time, in order.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(step);
    queue = run.catch(() => {});
    return run;
  };
  let announced = false;
  // A stream announces before it takes its seat: one that announced since the last beat counts as open.
  let announcedSinceBeat = false;
  let idleBeats = 0;
  let lastBeatFailed = false;
  // Transactions that may have written tasks without notifying, still open when a registration stopped waiting.
  const unannounced = new Set<string>();
  let awaitingUnannounced: Promise<void> | undefined;

  /**
   * Puts this instance in `change_listeners`, then waits (up to 1 s) for the transactions that may
   * have checked it before: a change of theirs committed after a stream's start would not notify. One
   * still open after that (a long transaction that wrote tasks) is waited for in the background, and
   * every stream reads the feed when it ends.
   */
  async function register(): Promise<void> {
    lastBeatFailed = false;
    let earlier = await registerListeningInstance(db.db, instanceId);
    const deadline = performance.now() + REGISTER_WAIT_MS;
    while (earlier.length > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      earlier = await stillOpen(db.db, earlier);
    }
    if (earlier.length === 0) return;
    app.log.warn({ transactions: earlier.length }, 'open transactions may have written tasks unannounced; streams read the feed when they end');
    for (const transaction of earlier) unannounced.add(transaction);
    if (!awaitingUnannounced) awaitingUnannounced = awaitUnannounced();
  }

  // One background wait for all of them, ended with the streams (no stream left to wake).
  async function awaitUnannounced(): Promise<void> {
    let failing = false;
    while (unannounced.size > 0 && !streams.closing) {
      await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      // Out of the table since (its streams gone): nothing left to wake.
      if (!announced) break;
      try {
        const open = new Set(await stillOpen(db.db, [...unannounced]));
        const ended = [...unannounced].filter((transaction) => !open.has(transaction));
        for (const transaction of ended) unannounced.delete(transaction);
        if (ended.length > 0) streams.wake(null);
        failing = false;
      } catch (error) {
        if (!failing) app.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'waiting for unannounced writers failed; retrying');
        failing = true;
      }
    }
    unannounced.clear();
    awaitingUnannounced = undefined;
  }

  const announce = (): Promise<void> => {
    announcedSinceBeat = true;
    if (announced) return Promise.resolve();
    return serial(async () => {
      if (announced) return;
      await register();
      announced = true;
      idleBeats = 0;
    });
  };

  const beat = (): Promise<void> =>
    serial(async () => {
      if (!announced) return;
      idleBeats = streams.open > 0 || announcedSinceBeat ? 0 : idleBeats + 1;
      announcedSinceBeat = false;
      if (idleBeats >= 2) {
        // Cleared first: a stream announcing meanwhile queues a registration after this removal.
        announced = false;
        await unregisterListeningInstance(db.db, instanceId);
        return;
      }
      try {
        const kept = await refreshListeningInstance(db.db, instanceId);
        // The row lapsed (or may have, while beats failed): writes in between did not notify.
        if (!kept || lastBeatFailed) {
          await register();
          streams.wake(null);
        }
        lastBeatFailed = false;
      } catch (error) {
        lastBeatFailed = true;
        throw error;
      }
    });

  const sync: SyncSettings = { retentionDays: events.retentionDays, now, streams, announce };

  async function purge(): Promise<number> {
    const before = new Date(now() - events.retentionDays * 86_400_000 - PURGE_MARGIN_MS);
    let purged = 0;
    for (let batch = 0; batch < PURGE_BATCHES_PER_RUN; batch++) {
      const count = await purgeTaskChanges(db.db, before, PURGE_BATCH);
      purged += count;
      if (count < PURGE_BATCH) break;
    }
    return purged;
  }

  app.addHook('onReady', async () => {
    listener = listenForTaskChanges(db, {
      url: events.listenUrl,
      onChange: (userId) => streams.wake(userId),
      // One line when the connection is lost and one when it is back, as for the pool's outages: the
      // retries in between are no news, and the driver's error object would carry its stack.
      onError: (error, retryInMs, attempt) => {
        if (attempt === 1) app.log.warn({ reason: error.message, retryInMs }, 'change listener lost its connection; reconnecting');
      },
      onReconnect: (failedAttempts) => app.log.info({ failedAttempts }, 'change listener listening again'),
    });
    purgeTimer = setInterval(() => {
      purge().catch((error: unknown) => app.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'purging old changes failed'));
    }, PURGE_EVERY_MS);
    purgeTimer.unref();
    beatTimer = setInterval(() => {
      beat().catch((error: unknown) => app.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'refreshing the change listener registration failed'));
    }, LISTENER_BEAT_MS);
    beatTimer.unref();
  });
  // The sockets that carry a stream: each ends with its stream (`connection: close`), and none may
  // hold up close() once its stream has said goodbye. Nor may one a reconnecting client opened and
  // has sent nothing on yet: Node counts it busy until its request timeout.
  // Never a 'data' listener on these sockets: adding one takes the socket off Node's native HTTP
  // parser for good (every chunk then goes through JavaScript), which cost ~8 % of req/s on `get`.
  const streamSockets = new Set<Socket>();
  const silentSockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    silentSockets.add(socket);
    socket.once('close', () => silentSockets.delete(socket));
  });
  app.addHook('onRequest', (request, _reply, done) => {
    const socket = request.raw.socket;
    silentSockets.delete(socket);
    // inject() requests come on a stand-in with no socket to close.
    if (isQueryTokenPath(request.url) && socket instanceof Socket && !streamSockets.has(socket)) {
      streamSockets.add(socket);
      socket.once('close', () => streamSockets.delete(socket));
    }
    done();
  });
  // Before the server waits for open connections to finish: a stream never would by itself. Each
  // stream gets a moment to send its last (retryable) error event, then its socket is closed.
  app.addHook('preClose', async () => {
    streams.close();
    for (let waited = 0; streams.open > 0 && waited < 1_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const socket of [...streamSockets, ...silentSockets]) socket.destroy();
  });
  app.addHook('onClose', async () => {
    clearInterval(purgeTimer);
    clearInterval(beatTimer);
    await serial(async () => {
      if (!announced) return;
      announced = false;
      await unregisterListeningInstance(db.db, instanceId);
    }).catch(() => {
      // The row expires by itself.
    });
    await listener?.close();
  });
  return {
    streams,
    sync,
    purge,
    listening: () => listener?.ready ?? Promise.resolve(),
    get announced() {
      return announced;
    },
    beat,
  };
}
