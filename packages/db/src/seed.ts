// Set-based seeding: one `insert … select` over generate_series per batch of users, never a loop
// of single inserts. Titles, descriptions, priorities, due dates and tags follow plausible mixes
// (about a third completed, 60 % with a due date from two months ago to three months ahead).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface SeedOptions {
  /** How many ordinary users, named `${userPrefix}1` … `${userPrefix}N`. */
  users: number;
  tasksPerUser: number;
  userPrefix?: string;
  /** One extra user with many tasks (a power user). */
  heavyUser?: string | undefined;
  heavyTasks?: number | undefined;
  /** Makes the data reproducible (PostgreSQL `setseed`, -1 … 1). */
  seed?: number;
}

export interface SeedResult {
  users: number;
  tasks: number;
}

const VERBS = ['Call', 'Email', 'Review', 'Buy', 'Schedule', 'Fix', 'Write', 'Plan', 'Pay', 'Book', 'Clean', 'Prepare',
  'Update', 'Renew', 'Order', 'Send', 'Check', 'Organize', 'Finish', 'Cancel'];
const OBJECTS = ['dentist appointment', 'quarterly report', 'groceries', 'car insurance', 'supplier invoice',
  'team meeting notes', 'birthday present for Sam', 'flight to Lisbon', 'kitchen sink', 'tax return', 'gym membership',
  'project proposal', 'blog post draft', 'electricity bill', 'garden hedge', 'passport photos', 'client invoice',
  'conference talk', 'bike tyres', 'school forms', 'hotel booking', 'backup drives', 'budget spreadsheet',
  'vet appointment for Max', 'library books', 'onboarding checklist', 'release notes', 'holiday photos',
  'newsletter', 'contract renewal', 'database migration', 'parking permit', 'plumber visit', 'recipe ideas',
  'phone plan', 'performance review', 'moving boxes', 'wedding RSVP', 'train tickets', 'security audit'];
const DESCRIPTIONS = ['Needs to happen before the end of the week.', 'Ask Alex whether the numbers are final first.',
  'Keep the receipt for the expense report.', 'Low effort, but easy to forget.', 'Check the shared drive for the latest version.',
  'Blocked until the supplier replies.', 'Remember to compare at least three offers.', 'Bring the paperwork from last year.',
  'Follow up by phone if there is no answer by Friday.', 'Split this into smaller steps if it drags on.',
  'The invoice number is in the confirmation email.', 'Coordinate with the rest of the team before booking.'];
const TAGS = [['work', 0.3], ['home', 0.2], ['errands', 0.12], ['finance', 0.1], ['health', 0.06], ['family', 0.08],
  ['urgent', 0.05], ['someday', 0.06], ['reading', 0.04], ['travel', 0.05], ['shopping', 0.08], ['admin', 0.07]] as const;

// Keeps every statement to a size PostgreSQL and PGlite insert comfortably in one go.
const ROWS_PER_STATEMENT = 200_000;

const pick = (values: readonly string[]) => sql`(${values}::text[])[1 + floor(random() * ${values.length})::int]`;
const tagArray = sql.join(TAGS.map(([tag, p]) => sql`case when random() < ${p} then ${tag} end`));

async function insertTasks(db: Kysely<Database>, userIds: string[], perUser: number): Promise<void> {
  await sql`
    insert into users (id) select id from unnest(${userIds}::text[]) as u(id) on conflict do nothing`.execute(db);
  await sql`
    insert into tasks (user_id, title, description, completed, completed_at, created_at, updated_at, priority, due_at, tags)
    select user_id, title, description, done, case when done then updated end, created, updated, priority, due, tags
    from (
      select user_id, title, description, done, created, priority, due, tags,
        created + random() * least(now() - created, interval '30 days') as updated
      from (
        select u.id as user_id,
          ${pick(VERBS)} || ' ' || ${pick(OBJECTS)} as title,
          case when random() < 0.4 then null else ${pick(DESCRIPTIONS)} end as description,
          random() < 0.35 as done,
          -- Spread over two years, in creation order, so ids and created_at rise together.
          now() - interval '730 days' * ((${perUser} - g.n + random()) / ${perUser}) as created,
          (case when random() < 0.2 then 'high' when random() < 0.7 then 'medium' else 'low' end)::task_priority as priority,
          case when random() < 0.6 then date_trunc('hour', now() + interval '1 day' * (random() * 150 - 60)) end as due,
          array_remove(array[${tagArray}]::text[], null) as tags
        from unnest(${userIds}::text[]) as u(id) cross join generate_series(1, ${perUser}) as g(n)
      ) base
    ) timed`.execute(db);
}

/**
 * Fills the database with realistic tasks for `users` users (and an optional heavy user).
 *
 * @example
 * await seedTasks(db, { users: 1000, tasksPerUser: 100, heavyUser: 'power', heavyTasks: 100_000 });
 * // insert into tasks (…) select … from unnest($1::text[]) u(id) cross join generate_series(1, $2) g(n)
 */
export async function seedTasks(db: Kysely<Database>, options: SeedOptions): Promise<SeedResult> {
  const prefix = options.userPrefix ?? 'seed-user-';
  const perUser = options.tasksPerUser;
  const usersPerBatch = Math.max(1, Math.floor(ROWS_PER_STATEMENT / Math.max(1, perUser)));
  let users = 0;
  let tasks = 0;
  await db.transaction().execute(async (trx) => {
    // setseed applies to this session, so seeding runs on the transaction's single connection.
    await sql`select setseed(${options.seed ?? 0.42})`.execute(trx);
    for (let first = 1; first <= options.users && perUser > 0; first += usersPerBatch) {
      const ids = Array.from({ length: Math.min(usersPerBatch, options.users - first + 1) }, (_, i) => `${prefix}${first + i}`);
      await insertTasks(trx, ids, perUser);
      users += ids.length;
      tasks += ids.length * perUser;
    }
    if (options.heavyUser && options.heavyTasks) {
      for (let left = options.heavyTasks; left > 0; left -= ROWS_PER_STATEMENT) {
        await insertTasks(trx, [options.heavyUser], Math.min(left, ROWS_PER_STATEMENT));
      }
      users += 1;
      tasks += options.heavyTasks;
    }
  });
  return { users, tasks };
}
