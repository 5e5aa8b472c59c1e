import { sql, type Kysely } from 'kysely';

// created_at and updated_at defaulted to clock_timestamp(), which PostgreSQL evaluates once per
// column: a new task could show updated_at 1 ms after created_at. now() is one instant per
// transaction, so a new row's two timestamps are equal. Updates keep using clock_timestamp().
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table tasks
    alter column created_at set default now(),
    alter column updated_at set default now()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table tasks
    alter column created_at set default clock_timestamp(),
    alter column updated_at set default clock_timestamp()`.execute(db);
}
