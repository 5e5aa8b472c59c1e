import { sql, type Kysely } from 'kysely';

// `version` is bumped by the UPDATE that changes a row (tasks-queries.ts), not by a trigger: every
// change already goes through that one statement, and a row trigger would add its cost to each.
// A constant default is a catalogue-only change (no table rewrite) on PostgreSQL 11 and later.
//
// `idempotency_keys` holds the first answer to a write sent with an Idempotency-Key
// (draft-ietf-httpapi-idempotency-key-header), per user and key: the request's fingerprint, and the
// status and body once the write has committed (written in the write's own transaction). Expired
// rows are purged a few at a time through the `expires_at` index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table tasks add column version integer not null default 1`.execute(db);
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('status', 'smallint')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull())
    .addColumn('expires_at', sql`timestamptz(3)`, (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expires_idx').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await sql`alter table tasks drop column version`.execute(db);
}
