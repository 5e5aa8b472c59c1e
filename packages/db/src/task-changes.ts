// The changes feed's reads (migration 0008): positions are (xid, seq) pairs, handed out only below
// the oldest transaction of this database still running in the reading snapshot, so a position never
// has a change committed before it later.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.ts';
import { joinedTaskColumns, taskColumns, type Db, type TaskRecord } from './tasks-queries.ts';

/** A place in the feed: every change at or before it has been read. xid8 and bigint as text. */
export interface ChangePosition {
  xid: string;
  seq: string;
}

/** A task's latest change after a position: its state now, or a tombstone. `changedAt`: that change's time. */
export type FeedEntry =
  | { position: ChangePosition; changedAt: Date; id: number; deleted: false; task: TaskRecord }
  | { position: ChangePosition; changedAt: Date; id: number; deleted: true; deletedAt: Date };

export interface ChangesRead {
  entries: FeedEntry[];
  /** Where the next read starts: after the last entry, or past everything visible when no more came. */
  next: ChangePosition;
  hasMore: boolean;
  /**
   * Changes of this user are committed but not yet readable (a transaction with a smaller id is
   * still open): read again shortly, without waiting for a notification.
   */
  heldBack: boolean;
}

/**
 * The feed's bound in the current snapshot: the smallest id of a transaction it sees running that
 * may belong to this database, or the snapshot's xmax when there is none. Every change below it is
 * committed and visible, or will never be. The snapshot's own xmin would do, but it is cluster-wide:
 * a long transaction in another database on the same server (a report, a migration, another test
 * file's database) would hold this feed back for as long as it ran. A running id is counted as
 * another database's only when pg_stat_activity names that database for it (no other database can
 * write this table); one it cannot place (begun or ended between the two looks, a prepared
 * transaction, a role not allowed to see other sessions, PGlite) counts as ours. A standby's
 * snapshot lists no running ids (it keeps them with the subtransactions), so there xmin stays the bound.
 */
function boundWithout(othersRunning: RawBuilder<boolean>): RawBuilder<string> {
  return sql<string>`case when pg_is_in_recovery() then pg_snapshot_xmin(pg_current_snapshot())
  else coalesce(
    (select min(running) from pg_snapshot_xip(pg_current_snapshot()) as running where not ${othersRunning}),
    pg_snapshot_xmax(pg_current_snapshot())) end`;
}

const feedBound = boundWithout(
  sql<boolean>`exists (select 1 from pg_stat_activity a where a.backend_xid = running::xid and a.datname <> current_database())`,
);

/** The position past every change that can be read now: where a new stream starts. */
export async function currentChangePosition(db: Db): Promise<ChangePosition> {
  const { rows } = await sql<{ bound: string }>`select (${feedBound})::text as bound`.execute(db);
  return { xid: rows[0]!.bound, seq: '0' };
}

/**
 * The user's tasks changed after `after`, each once at its latest change, in (xid, seq) order, with
 * its current state (or a tombstone); at most `limit`.
 *
 * @example
 * await readTaskChanges(db, 'u1', { xid: '812', seq: '40' }, 1000);
 * // select count(*) from pg_stat_activity;
 * // with bound as (select coalesce((select min(running) from pg_snapshot_xip(pg_current_snapshot()) …)) …),
 * //   latest as (select distinct on (task_id) … from task_changes where user_id = $1 and (xid, seq) > ($2, $3) and xid < (select xid from bound) …) …
 */
export async function readTaskChanges(db: Kysely<Database>, userId: string, after: ChangePosition, limit: number): Promise<ChangesRead> {
  return db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      // pg_stat_activity is read once a transaction and kept: read it here, before the snapshot the
      // next statement takes. Whatever it places as another database's was running before that
      // snapshot; one it cannot place began after it read, so the bound never falls below a change
      // an earlier read handed out (read after the snapshot, one that ended in between would).
      await sql`select count(*) from pg_stat_activity`.execute(trx);
      // One statement, so one snapshot for the bound and the rows: what is below the bound is exactly what the rows show.
      const rows = await trx
        .with('bound', (qb) =>
          qb
            .selectFrom(sql<{ xid: string }>`(select ${feedBound} as xid)`.as('b'))
            .select([
              'b.xid',
              sql<boolean>`exists (select 1 from task_changes where user_id = ${userId} and xid >= b.xid)`.as('held_back'),
            ]),
        )
        .with('latest', (qb) =>
          qb
            .selectFrom('task_changes')
            .distinctOn('task_id')
            .select(['task_id', sql<string>`xid::text`.as('xid'), sql<string>`seq::text`.as('seq'), 'deleted', 'changed_at'])
            .where('user_id', '=', userId)
            .where(sql<boolean>`(xid, seq) > (${after.xid}::xid8, ${after.seq}::bigint)`)
            .where(sql<boolean>`xid < (select xid from bound)`)
            .orderBy('task_id')
            .orderBy(sql`xid desc, seq desc`),
        )
        .with('page', (qb) => qb.selectFrom('latest').selectAll().orderBy(sql`xid::xid8, seq::bigint`).limit(limit + 1))
        // The bound's one row, with the page's rows beside it (none: the bound alone).
        .selectFrom('bound')
        .leftJoin('page', (join) => join.onTrue())
        .leftJoin('tasks', (join) => join.onRef('tasks.id', '=', 'page.task_id').on('tasks.user_id', '=', userId))
        .select([
          sql<string>`bound.xid::text`.as('bound'),
          'bound.held_back as heldBack',
          'page.task_id as changedId',
          'page.xid as changeXid',
          'page.seq as changeSeq',
          'page.changed_at as changedAt',
          ...joinedTaskColumns,
        ])
        .orderBy(sql`page.xid::xid8, page.seq::bigint`)
        .execute();
      const { bound, heldBack } = rows[0]!;
      type Row = (typeof rows)[number];
      const changed = rows.filter((row): row is Row & { changedId: number; changeXid: string; changeSeq: string; changedAt: Date } => row.changedId !== null);
      const hasMore = changed.length > limit;
      const entries = changed.slice(0, limit).map((row): FeedEntry => {
        const position = { xid: row.changeXid, seq: row.changeSeq };
        const { bound: _b, heldBack: _h, changedId, changeXid: _x, changeSeq: _s, changedAt, ...task } = row;
        // A task row gone is a delete (ids are never reused); its time is that of the last change seen.
        if (task.id === null) return { position, changedAt, id: changedId, deleted: true, deletedAt: changedAt };
        return { position, changedAt, id: changedId, deleted: false, task: task as unknown as TaskRecord };
      });
      // The bound can be below a token already given out (a transaction of another database that
      // this read cannot place counts as ours). Every change below the token was settled when it was
      // given, so the token stays where it was.
      const next = hasMore ? entries[entries.length - 1]!.position : later(after, { xid: bound, seq: '0' });
      return { entries, next, hasMore, heldBack };
    });
}

function later(a: ChangePosition, b: ChangePosition): ChangePosition {
  const [ax, bx] = [BigInt(a.xid), BigInt(b.xid)];
  if (ax !== bx) return ax > bx ? a : b;
  return BigInt(a.seq) >= BigInt(b.seq) ? a : b;
}

/** A page of the user's current tasks by id, for a full sync. */
export async function listTasksById(db: Db, userId: string, afterId: number, limit: number): Promise<TaskRecord[]> {
  return db.selectFrom('tasks').select(taskColumns).where('user_id', '=', userId).where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

/**
 * The first page of a full sync and, from the same snapshot, the position its changes continue
 * from: whatever this snapshot does not show has an xid at or past it.
 */
export async function startFullSync(db: Kysely<Database>, userId: string, limit: number): Promise<{ tasks: TaskRecord[]; from: ChangePosition }> {
  // Other databases' transactions, looked up before the snapshot as readTaskChanges does: under
  // repeatable read the snapshot comes with the first statement, so a look inside the transaction
  // would come after it, and a transaction that ended in between would count as this database's,
  // putting the position below changes this page already shows.
  const { rows } = await sql<{ xid: string }>`select backend_xid::text as xid from pg_stat_activity
    where backend_xid is not null and datname <> current_database()`.execute(db);
  const foreign = rows.map((row) => row.xid);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const bound = boundWithout(sql<boolean>`running::xid::text = any(${foreign}::text[])`);
      const { rows: at } = await sql<{ bound: string }>`select (${bound})::text as bound`.execute(trx);
      return { tasks: await listTasksById(trx, userId, 0, limit), from: { xid: at[0]!.bound, seq: '0' } };
    });
}

/**
 * Deletes log rows older than `before`, at most `limit`, oldest first; resolves to how many.
 *
 * @example
 * await purgeTaskChanges(db, new Date(Date.now() - 31 * 86_400_000), 1000);
 * // delete from task_changes where seq in (select seq from task_changes where changed_at < $1 order by changed_at limit $2)
 */
export async function purgeTaskChanges(db: Db, before: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('task_changes')
    .where('seq', 'in', (qb) => qb.selectFrom('task_changes').select('seq').where('changed_at', '<', before).orderBy('changed_at').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
