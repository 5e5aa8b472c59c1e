import { sql, type Kysely } from 'kysely';

// Timestamps are timestamptz(3): JavaScript dates carry milliseconds, so storing microseconds
// would let two rows that look equal to a client differ in the database and break keyset cursors.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'varchar(255)', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('completed', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('completed_at', sql`timestamptz(3)`)
    .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
    .addCheckConstraint('tasks_title_not_blank', sql`length(btrim(title)) > 0`)
    .addCheckConstraint('tasks_description_length', sql`char_length(description) <= 5000`)
    .execute();

  await db.schema
    .createIndex('tasks_user_created_idx')
    .on('tasks')
    .expression(sql`user_id, created_at desc, id desc`)
    .execute();
  await db.schema.createIndex('tasks_user_completed_idx').on('tasks').columns(['user_id', 'completed']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tasks').execute();
  await db.schema.dropTable('users').execute();
}
